import { describe, expect, it } from 'vitest';
import type { DiffLine } from '../../api/types.gen';
import { diffCounts, diffEntries, diffSign } from './config-diff';

const same = (text: string): DiffLine => ({ change: 'same', text });

/** A ~/.claude/settings.json that gets a status line: a long env block, then the new key at the end. */
const SETTINGS_DIFF: DiffLine[] = [
  same('{'),
  same('  "env": {'),
  same('    "CLAUDE_CODE_ENABLE_TELEMETRY": "1",'),
  same('    "OTEL_METRICS_EXPORTER": "otlp",'),
  same('    "OTEL_LOGS_EXPORTER": "otlp",'),
  same('    "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",'),
  same('    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"'),
  { change: 'removed', text: '  }' },
  { change: 'added', text: '  },' },
  { change: 'added', text: '  "statusLine": {' },
  { change: 'added', text: '    "type": "command",' },
  { change: 'added', text: '    "command": "\'/opt/AI Observer/ai-observer\' statusline"' },
  { change: 'added', text: '  }' },
  same('}'),
];

describe('config diff', () => {
  it('keeps two unchanged lines around a change and folds the rest', () => {
    const entries = diffEntries(SETTINGS_DIFF);
    expect(entries[0]).toEqual({ kind: 'folded', count: 5 });
    expect(entries.slice(1).map((entry) => (entry.kind === 'line' ? `${diffSign(entry.line.change)} ${entry.line.text}` : `… ${entry.count}`))).toEqual([
      '      "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",',
      '      "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"',
      '-   }',
      '+   },',
      '+   "statusLine": {',
      '+     "type": "command",',
      '+     "command": "\'/opt/AI Observer/ai-observer\' statusline"',
      '+   }',
      '  }',
    ]);
  });

  it('shows a single unchanged line rather than folding it, and a new file whole', () => {
    const short = [same('{'), same('  "a": 1,'), same('  "b": 2,'), { change: 'added', text: '  "c": 3,' } as DiffLine, same('}')];
    expect(diffEntries(short).map((entry) => entry.kind)).toEqual(['line', 'line', 'line', 'line', 'line']);
    const created: DiffLine[] = [
      { change: 'added', text: '{' },
      { change: 'added', text: '  "statusLine": {}' },
      { change: 'added', text: '}' },
    ];
    expect(diffEntries(created)).toHaveLength(3);
    expect(diffEntries([same('{'), same('}')])).toEqual([{ kind: 'folded', count: 2 }]);
  });

  it('counts the lines each side has', () => {
    expect(diffCounts(SETTINGS_DIFF)).toEqual({ added: 5, removed: 1 });
  });
});
