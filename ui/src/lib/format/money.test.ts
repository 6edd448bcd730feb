import { describe, expect, it } from 'vitest';
import { formatUsd, formatUsdAxis } from './money';

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [0.1234, '$0.12'],
    [0.01, '$0.01'],
    [0.009999, '$0.0100'],
    [0.001234, '$0.0012'],
    [0.00004, '$0.0000'],
    [12.5, '$12.50'],
    [1234.567, '$1,234.57'],
    [1234567.891, '$1,234,567.89'],
    [-3.5, '-$3.50'],
  ])('%s -> %s', (value, expected) => {
    expect(formatUsd(value)).toBe(expected);
  });

  it('never shows a missing cost as $0', () => {
    expect(formatUsd(null)).toBe('—');
    expect(formatUsd(undefined)).toBe('—');
  });

  it('formats axis labels compactly', () => {
    expect(formatUsdAxis(0)).toBe('$0');
    expect(formatUsdAxis(2.5)).toBe('$2.50');
    expect(formatUsdAxis(1500)).toBe('$1.5K');
    expect(formatUsdAxis(0.005)).toBe('$0.0050');
  });
});
