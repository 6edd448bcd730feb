// Share of prompt tokens served from the cache: cacheRead / (input + cacheRead + cacheCreation).
// `input` is uncached input (docs/api.md TokenCounts), so the three add up to all prompt tokens.
import type { TokenCounts } from '../../api/types.gen';

export function cacheHitRate(tokens: TokenCounts): number | null {
  const promptTokens = tokens.input + tokens.cacheRead + tokens.cacheCreation;
  if (promptTokens <= 0) return null;
  return tokens.cacheRead / promptTokens;
}
