// A tool's settings file before and after a change, as the preview shows it: the changed lines with
// a little unchanged context around them, longer unchanged runs folded into one "N unchanged lines"
// entry (a settings file can be long, the change is a few lines), and how many lines each side has.
import type { DiffLine } from '../../api/types.gen';

export type DiffEntry = { kind: 'line'; line: DiffLine } | { kind: 'folded'; count: number };

/** Unchanged lines kept on each side of a change. */
export const DIFF_CONTEXT = 2;

export function diffEntries(diff: readonly DiffLine[], context = DIFF_CONTEXT): DiffEntry[] {
  const changed = diff.map((line) => line.change !== 'same');
  const near = (index: number) => {
    for (let other = Math.max(0, index - context); other <= Math.min(diff.length - 1, index + context); other += 1) if (changed[other]) return true;
    return false;
  };
  const entries: DiffEntry[] = [];
  let hidden: DiffLine[] = [];
  const flush = () => {
    // folding one line saves nothing: show it
    if (hidden.length === 1) entries.push({ kind: 'line', line: hidden[0] as DiffLine });
    else if (hidden.length > 1) entries.push({ kind: 'folded', count: hidden.length });
    hidden = [];
  };
  diff.forEach((line, index) => {
    if (near(index)) {
      flush();
      entries.push({ kind: 'line', line });
    } else {
      hidden.push(line);
    }
  });
  flush();
  return entries;
}

export function diffCounts(diff: readonly DiffLine[]): { added: number; removed: number } {
  return {
    added: diff.filter((line) => line.change === 'added').length,
    removed: diff.filter((line) => line.change === 'removed').length,
  };
}

/** The sign a diff line is shown with, so a change reads without its colour. */
export function diffSign(change: DiffLine['change']): string {
  return change === 'added' ? '+' : change === 'removed' ? '-' : ' ';
}
