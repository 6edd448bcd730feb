import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveMessage } from '../api/live-types';
import { MIN_DEBOUNCE_MS, MIN_POLL_MS, startLiveRefresh } from './live-refresh';

function liveSource() {
  const listeners = new Set<(message: LiveMessage) => void>();
  return {
    subscribe: (listener: (message: LiveMessage) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (message: LiveMessage) => listeners.forEach((listener) => listener(message)),
    size: () => listeners.size,
  };
}

const logs: LiveMessage = { type: 'logs', timestamp: '2026-11-28T12:00:00Z', payload: [] };
const usage: LiveMessage = { type: 'usage', timestamp: '2026-11-28T12:00:00Z', payload: [{ tool: 'codex', requests: 1 }] };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('startLiveRefresh', () => {
  it('coalesces a burst of messages into one refresh after the debounce', () => {
    const source = liveSource();
    const onRefresh = vi.fn();
    const stop = startLiveRefresh({ subscribe: source.subscribe, types: ['logs'], onRefresh });
    for (let index = 0; index < 20; index += 1) source.emit(logs);
    expect(onRefresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MIN_DEBOUNCE_MS - 1);
    expect(onRefresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onRefresh).toHaveBeenCalledTimes(1);
    stop();
  });

  it('never refreshes more than once per window under a steady stream (no starvation, no storm)', () => {
    const source = liveSource();
    const onRefresh = vi.fn();
    startLiveRefresh({ subscribe: source.subscribe, types: ['logs'], onRefresh });
    for (let tick = 0; tick < 50; tick += 1) {
      source.emit(logs);
      vi.advanceTimersByTime(100);
    }
    // 5 s of messages every 100 ms -> 10 refreshes, not 50 and not 0
    expect(onRefresh).toHaveBeenCalledTimes(10);
  });

  it('clamps the debounce to at least 500 ms', () => {
    const source = liveSource();
    const onRefresh = vi.fn();
    startLiveRefresh({ subscribe: source.subscribe, types: ['logs'], onRefresh, debounceMs: 10 });
    source.emit(logs);
    vi.advanceTimersByTime(499);
    expect(onRefresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it('ignores other message types but still reports them to onMessage', () => {
    const source = liveSource();
    const onRefresh = vi.fn();
    const onMessage = vi.fn();
    startLiveRefresh({ subscribe: source.subscribe, types: ['usage'], onRefresh, onMessage });
    source.emit(logs);
    vi.advanceTimersByTime(2000);
    expect(onRefresh).not.toHaveBeenCalled();
    expect(onMessage).toHaveBeenCalledWith(logs);
    source.emit(usage);
    vi.advanceTimersByTime(500);
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it('polls at most every 10 s and not while the range is absolute', () => {
    const source = liveSource();
    const onRefresh = vi.fn();
    let relative = true;
    startLiveRefresh({ subscribe: source.subscribe, types: [], onRefresh, pollMs: 1000, canPoll: () => relative });
    vi.advanceTimersByTime(MIN_POLL_MS - 1);
    expect(onRefresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onRefresh).toHaveBeenCalledTimes(1);
    relative = false;
    vi.advanceTimersByTime(60_000);
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it('unsubscribes and cancels pending work when stopped', () => {
    const source = liveSource();
    const onRefresh = vi.fn();
    const stop = startLiveRefresh({ subscribe: source.subscribe, types: ['logs'], onRefresh, pollMs: 10_000 });
    expect(source.size()).toBe(1);
    source.emit(logs);
    stop();
    expect(source.size()).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(onRefresh).not.toHaveBeenCalled();
  });
});
