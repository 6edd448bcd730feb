import { describe, expect, it } from 'vitest';
import { eventText, requestFacts } from './request-summary';

describe('request summary of a log row', () => {
  it('reads Claude Code api_request attributes, with the reported cost', () => {
    const log = { body: 'claude_code.api_request', logAttributes: { 'event.name': 'api_request', model: 'claude-sonnet-5', input_tokens: '40', output_tokens: '260', cache_read_tokens: '19272', cost_usd: '0.01575285' } };
    expect(requestFacts(log)).toEqual({ model: 'claude-sonnet-5', inputTokens: 40, outputTokens: 260, cacheReadTokens: 19272, costUsd: 0.01575285 });
    expect(eventText(log)).toBe('claude_code.api_request');
  });

  it('reads Gemini CLI and GenAI token counts, and never makes up a cost', () => {
    expect(requestFacts({ logAttributes: { model: 'gemini-3.8-flash', input_token_count: '13205', output_token_count: '43', cached_content_token_count: '0' } })).toEqual({
      model: 'gemini-3.8-flash',
      inputTokens: 13205,
      outputTokens: 43,
      cacheReadTokens: 0,
      costUsd: null,
    });
    expect(requestFacts({ logAttributes: { 'gen_ai.request.model': 'gpt-5', 'gen_ai.usage.input_tokens': '10', 'gen_ai.usage.output_tokens': '' } })?.model).toBe('gpt-5');
  });

  it('is null for events that carry no token counts', () => {
    expect(requestFacts({ logAttributes: { model: 'gpt-5.5', duration_ms: '15' } })).toBeNull();
    expect(requestFacts({})).toBeNull();
    expect(eventText({ logAttributes: { 'event.name': 'user_prompt' } })).toBe('user_prompt');
  });
});
