import { describe, expect, it } from 'vitest';
import { firstOfMonth, hostLabel, machineLabel, userLabel } from './team-loader';

describe('team page helpers', () => {
  it('takes the month of the user time zone, not of UTC', () => {
    const lateInUtc = new Date('2026-11-30T23:30:00Z');
    expect(firstOfMonth('UTC', lateInUtc)).toBe('2026-11-01');
    expect(firstOfMonth('Asia/Tokyo', lateInUtc)).toBe('2026-12-01');
    expect(firstOfMonth('America/Los_Angeles', new Date('2026-12-01T05:00:00Z'))).toBe('2026-11-01');
  });

  it('names the keys that stand for no token and no person', () => {
    expect(machineLabel('local')).toBe('This server (no token)');
    expect(machineLabel('build-box')).toBe('build-box');
    expect(hostLabel('unknown')).toBe('Not sent by the tool');
    expect(hostLabel('vm')).toBe('vm');
    expect(userLabel('unknown')).toBe('Not named');
    expect(userLabel('ada@example.com')).toBe('ada@example.com');
  });
});
