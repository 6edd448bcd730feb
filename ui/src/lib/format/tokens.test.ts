import { describe, expect, it } from 'vitest';
import { tokenBreakdown, totalTokens } from './tokens';

const tokens = { input: 1500, cacheRead: 20_000, cacheCreation: 800, output: 2500, reasoning: 400 };

describe('tokens', () => {
  it('totals every kind once (reasoning is inside output)', () => {
    expect(totalTokens(tokens)).toBe(24_800);
  });

  it('splits by kind, naming reasoning only when there is some', () => {
    expect(tokenBreakdown(tokens)).toBe('1.5K in · 20K cache read · 800 cache write · 2.5K out (400 reasoning)');
    expect(tokenBreakdown({ ...tokens, reasoning: 0 })).toBe('1.5K in · 20K cache read · 800 cache write · 2.5K out');
  });
});
