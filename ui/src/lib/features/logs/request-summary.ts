// The summary line of a log row: the event's name or body, and for a model request the model,
// tokens and cost when the record's own attributes carry them (Claude Code's api_request, Gemini
// CLI's api_response, the GenAI conventions of Copilot, Goose and others). Nothing is computed:
// a record without a reported cost shows none.
import type { LogRecord } from '../../api/types.gen';

export type RequestFacts = { model: string | null; inputTokens: number | null; outputTokens: number | null; cacheReadTokens: number | null; costUsd: number | null };

const MODEL_KEYS = ['model', 'gen_ai.response.model', 'gen_ai.request.model'];
const INPUT_KEYS = ['input_tokens', 'input_token_count', 'gen_ai.usage.input_tokens'];
const OUTPUT_KEYS = ['output_tokens', 'output_token_count', 'gen_ai.usage.output_tokens'];
const CACHE_READ_KEYS = ['cache_read_tokens', 'cached_content_token_count', 'gen_ai.usage.cache_read_input_tokens'];
const COST_KEYS = ['cost_usd'];

function first(attributes: Record<string, string>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (value !== undefined && value !== '') return value;
  }
  return null;
}

function number(attributes: Record<string, string>, keys: readonly string[]): number | null {
  const text = first(attributes, keys);
  if (text === null) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The model, tokens and cost a record reports; null when it reports no token counts (not a model request). */
export function requestFacts(log: Pick<LogRecord, 'logAttributes'>): RequestFacts | null {
  const attributes = log.logAttributes ?? {};
  const inputTokens = number(attributes, INPUT_KEYS);
  const outputTokens = number(attributes, OUTPUT_KEYS);
  if (inputTokens === null && outputTokens === null) return null;
  return {
    model: first(attributes, MODEL_KEYS),
    inputTokens,
    outputTokens,
    cacheReadTokens: number(attributes, CACHE_READ_KEYS),
    costUsd: number(attributes, COST_KEYS),
  };
}

/** The event's own words: its body, else its event name. */
export function eventText(log: Pick<LogRecord, 'body' | 'logAttributes'>): string {
  return log.body || log.logAttributes?.['event.name'] || '';
}
