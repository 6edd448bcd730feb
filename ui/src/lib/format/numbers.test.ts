import { describe, expect, it } from 'vitest';
import { formatCompact, formatCompactCount, formatCount, formatInteger, formatPercent, formatRatioAsPercent } from './numbers';

describe('formatCompact', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [12.345, '12.35'],
    [1000, '1K'],
    [1234, '1.23K'],
    [1500, '1.5K'],
    [999_999, '1M'],
    [12_500_000, '12.5M'],
    [3_210_000_000, '3.21B'],
    [4.5e12, '4.5T'],
    [-2500, '-2.5K'],
  ])('%s -> %s', (value, expected) => {
    expect(formatCompact(value)).toBe(expected);
  });

  it('shows a dash for missing values', () => {
    expect(formatCompact(null)).toBe('—');
    expect(formatCompact(undefined)).toBe('—');
    expect(formatCompact(Number.NaN)).toBe('—');
  });
});

describe('formatInteger / percent', () => {
  it('groups thousands', () => {
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatInteger(-1000)).toBe('-1,000');
    expect(formatInteger(12.6)).toBe('13');
  });
  it('formats percentages', () => {
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatRatioAsPercent(0.4567)).toBe('45.7%');
    expect(formatRatioAsPercent(null)).toBe('—');
  });
});

describe('counts with their noun', () => {
  it('uses the singular for exactly one', () => {
    expect(formatCount(1, 'request')).toBe('1 request');
    expect(formatCount(0, 'request')).toBe('0 requests');
    expect(formatCount(1234, 'request')).toBe('1,234 requests');
    expect(formatCount(2, 'query', 'queries')).toBe('2 queries');
    expect(formatCompactCount(12_500, 'token')).toBe('12.5K tokens');
    expect(formatCompactCount(1, 'token')).toBe('1 token');
  });
});
