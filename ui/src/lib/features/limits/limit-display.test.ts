import { describe, expect, it } from 'vitest';
import type { LimitState } from '../../api/types.gen';
import { formatCountdown, formatLimitPercent, isExpired, limitsByTool, limitTone, paceLine, planLabel, resetText } from './limit-display';
import { windowHistories } from './limit-history';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const UTC = { timeZone: 'UTC' };

function state(partial: Partial<LimitState> = {}): LimitState {
  return { tool: 'claude-code', window: '5h', usedPercent: 42, resetsAt: '2026-11-28T14:00:00Z', observedAt: '2026-11-28T11:55:00Z', source: 'statusline', planType: null, expired: false, pace: null, ...partial };
}

describe('limit display', () => {
  it('reads the percent as the tools report it, without float noise', () => {
    expect(formatLimitPercent(88)).toBe('88%');
    expect(formatLimitPercent(7.000000000000001)).toBe('7%');
    expect(formatLimitPercent(12.34)).toBe('12.3%');
    expect(formatLimitPercent(104)).toBe('104%');
  });

  it('warns from 80 % and is in danger from 95 %', () => {
    expect(limitTone(79.9)).toBe('ok');
    expect(limitTone(80)).toBe('warn');
    expect(limitTone(94.9)).toBe('warn');
    expect(limitTone(95)).toBe('error');
    expect(limitTone(120)).toBe('error');
  });

  it('counts down to the reset within a day, and names the day after that, in the zone', () => {
    expect(formatCountdown(72 * 60_000)).toBe('1 h 12 min');
    expect(formatCountdown(41 * 60_000 + 1)).toBe('42 min');
    expect(formatCountdown(2 * 3600_000)).toBe('2 h');
    expect(resetText('2026-11-28T13:12:00Z', NOW, UTC)).toBe('resets in 1 h 12 min');
    expect(resetText('2026-11-28T12:00:20Z', NOW, UTC)).toBe('resets in under a minute');
    expect(resetText('2026-12-05T02:30:00Z', NOW, UTC)).toBe('resets Sat, Dec 5, 2:30 AM');
    expect(resetText('2026-12-05T02:30:00Z', NOW, { timeZone: 'America/Los_Angeles' })).toBe('resets Fri, Dec 4, 6:30 PM');
    expect(resetText(null, NOW, UTC)).toBe('reset time not reported');
  });

  it('treats a window whose reset passed as reset, even before the API says so', () => {
    expect(isExpired(state({ expired: true }), NOW)).toBe(true);
    expect(isExpired(state({ resetsAt: '2026-11-28T11:59:00Z' }), NOW)).toBe(true);
    expect(isExpired(state(), NOW)).toBe(false);
    expect(isExpired(state({ resetsAt: null }), NOW)).toBe(false);
  });

  it('says where the pace leads: the use at reset, or when the limit is reached before it', () => {
    expect(paceLine(state(), NOW, UTC)).toBeNull();
    expect(paceLine(state({ pace: { percentPerHour: 10, projectedPercentAtReset: 79.6, reachesLimitAt: null } }), NOW, UTC)).toEqual({ text: 'At this pace: 80% at reset', warn: false });
    expect(paceLine(state({ pace: { percentPerHour: 30, projectedPercentAtReset: 130, reachesLimitAt: '2026-11-28T15:42:00Z' } }), NOW, UTC)).toEqual({
      text: 'At this pace the limit is reached at 3:42 PM, before the reset',
      warn: true,
    });
    expect(paceLine(state({ pace: { percentPerHour: 30, projectedPercentAtReset: 130, reachesLimitAt: '2026-11-28T15:42:00Z' } }), NOW, { timeZone: 'UTC', locale: 'de-DE' })?.text).toBe(
      'At this pace the limit is reached at 15:42, before the reset',
    );
    // a stale pace: it placed the limit before now, and no report since said so
    expect(paceLine(state({ window: '7d', pace: { percentPerHour: 1080, projectedPercentAtReset: 999, reachesLimitAt: '2026-11-27T23:31:51Z' } }), NOW, UTC)).toBeNull();
    // another day: the weekday too
    expect(paceLine(state({ window: '7d', pace: { percentPerHour: 2, projectedPercentAtReset: 140, reachesLimitAt: '2026-12-01T09:00:00Z' } }), NOW, UTC)?.text).toBe(
      'At this pace the limit is reached at Tue, Dec 1, 9:00 AM, before the reset',
    );
  });

  it('groups the latest states by tool, the 5-hour window first', () => {
    const groups = limitsByTool([state({ tool: 'codex', window: '7d', planType: 'plus', source: 'session-file' }), state({ window: '7d' }), state({ tool: 'codex', window: '5h', planType: 'plus', source: 'session-file' }), state()]);
    expect(groups.map((group) => `${group.tool}:${group.windows.map((window) => window.window).join(',')}`)).toEqual(['claude-code:5h,7d', 'codex:5h,7d']);
    expect(groups[1]?.planType).toBe('plus');
    expect(planLabel('plus')).toBe('Plus plan');
    expect(planLabel(null)).toBeNull();
  });

  it('keeps one history per window with its points and the reports that changed something', () => {
    const reports = [
      state({ observedAt: '2026-11-28T10:00:00Z', usedPercent: 10 }),
      state({ observedAt: '2026-11-28T10:05:00Z', usedPercent: 10 }),
      state({ observedAt: '2026-11-28T10:10:00Z', usedPercent: 25 }),
      state({ observedAt: '2026-11-28T10:10:00Z', window: '7d', usedPercent: 3 }),
    ];
    const latest = [state({ tool: 'codex', window: '5h' })];
    const histories = windowHistories(reports, latest);
    expect(histories.map((entry) => entry.key)).toEqual(['claude-code-5h', 'claude-code-7d', 'codex-5h']);
    expect(histories[0]?.points).toEqual([
      [Date.parse('2026-11-28T10:00:00Z'), 10],
      [Date.parse('2026-11-28T10:05:00Z'), 10],
      [Date.parse('2026-11-28T10:10:00Z'), 25],
    ]);
    expect(histories[0]?.changes.map((report) => report.usedPercent)).toEqual([10, 25]);
    expect(histories[0]?.highest).toBe(25);
    expect(histories[2]?.points).toEqual([]);
  });
});
