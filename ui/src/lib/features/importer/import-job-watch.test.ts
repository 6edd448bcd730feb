import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveMessage } from '../../api/live-types';
import type { ImportJob } from '../../api/types.gen';
import { watchImportJob } from './import-job-watch';

function job(state: ImportJob['state'], filesDone: number, id = 'job-1'): ImportJob {
  return {
    id,
    state,
    progress: { filesDone, filesTotal: 10, bytesDone: filesDone * 100, bytesTotal: 1000, records: filesDone * 5, currentFile: null, spendReady: false },
    result: state === 'running' ? null : { tools: [], errors: [], cancelled: state === 'cancelled' },
    error: null,
    startedAt: '2026-11-28T12:00:00Z',
  };
}

function source() {
  const listeners = new Set<(message: LiveMessage) => void>();
  return {
    subscribe: (listener: (message: LiveMessage) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push: (payload: ImportJob) => listeners.forEach((listener) => listener({ type: 'import_progress', timestamp: '', payload })),
    size: () => listeners.size,
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('watchImportJob', () => {
  it('follows live progress messages and does not poll while they flow', async () => {
    const live = source();
    const fetchJob = vi.fn(() => Promise.resolve(job('running', 0)));
    const updates: ImportJob[] = [];
    watchImportJob({ jobId: 'job-1', subscribe: live.subscribe, fetchJob, onUpdate: (update) => updates.push(update) });
    for (let step = 1; step <= 5; step += 1) {
      live.push(job('running', step));
      live.push(job('running', 99, 'another-job'));
      await vi.advanceTimersByTimeAsync(400);
    }
    expect(updates.map((update) => update.progress.filesDone)).toEqual([1, 2, 3, 4, 5]);
    expect(fetchJob).not.toHaveBeenCalled();
  });

  it('falls back to polling at most once a second and stops when the job ends', async () => {
    const live = source();
    let calls = 0;
    const fetchJob = vi.fn(() => {
      calls += 1;
      return Promise.resolve(calls < 3 ? job('running', calls) : job('done', 10));
    });
    const updates: ImportJob[] = [];
    watchImportJob({ jobId: 'job-1', subscribe: live.subscribe, fetchJob, onUpdate: (update) => updates.push(update) });
    await vi.advanceTimersByTimeAsync(999);
    expect(fetchJob).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchJob).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetchJob).toHaveBeenCalledTimes(3);
    expect(updates.at(-1)?.state).toBe('done');
    expect(live.size()).toBe(0);
  });
});
