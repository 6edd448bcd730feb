// Token counts for people: one total of every token a request sent or got back (output includes
// reasoning), and the split by kind in one line — the same on the sessions list and a session page.
import type { TokenCounts } from '../api/types.gen';
import { formatCompact } from './numbers';

/** Uncached input, cache reads, cache writes and output (reasoning is part of output). */
export function totalTokens(tokens: TokenCounts): number {
  return tokens.input + tokens.cacheRead + tokens.cacheCreation + tokens.output;
}

/** "1.2K in · 5K cache read · 300 cache write · 800 out (200 reasoning)"; reasoning only when there is some. */
export function tokenBreakdown(tokens: TokenCounts): string {
  const reasoning = tokens.reasoning > 0 ? ` (${formatCompact(tokens.reasoning)} reasoning)` : '';
  return `${formatCompact(tokens.input)} in · ${formatCompact(tokens.cacheRead)} cache read · ${formatCompact(tokens.cacheCreation)} cache write · ${formatCompact(tokens.output)} out${reasoning}`;
}
