import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTransport } from '../../api/client';
import type { ImportJob } from '../../api/types.gen';
import { importJob } from '../../../../tests/support/fixtures';
import { createMemoryTransport } from '../../../../tests/support/memory-transport';
import { pendingJob, startImportJob } from './import-job';

afterEach(() => vi.useRealTimers());

describe('import jobs', () => {
  it('a job just started is running with nothing done yet', () => {
    expect(pendingJob('job-3', new Date('2026-11-28T12:00:00Z'))).toEqual({
      id: 'job-3',
      state: 'running',
      progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, records: 0, currentFile: null, spendReady: false },
      result: null,
      error: null,
      startedAt: '2026-11-28T12:00:00.000Z',
    });
  });

  it('starts with the request given, reports the pending job, then each live update until the end', async () => {
    const transport = createMemoryTransport({ import_start: () => ({ jobId: 'job-7' }) });
    useTransport(transport);
    const seen: ImportJob[] = [];
    const stop = await startImportJob({ tools: ['claude-code', 'codex'] }, (job) => seen.push(job));
    expect(transport.callsOf('import_start').map((call) => call.request)).toEqual([{ tools: ['claude-code', 'codex'] }]);
    transport.emit({ type: 'import_progress', timestamp: '', payload: importJob({ id: 'job-7', progress: { ...pendingJob('job-7').progress, filesDone: 1, filesTotal: 2 } }) });
    transport.emit({ type: 'import_progress', timestamp: '', payload: importJob({ id: 'job-7', state: 'done', progress: { ...pendingJob('job-7').progress, filesDone: 2, filesTotal: 2 } }) });
    expect(seen.map((job) => [job.id, job.state, job.progress.filesDone])).toEqual([
      ['job-7', 'running', 0],
      ['job-7', 'running', 1],
      ['job-7', 'done', 2],
    ]);
    // a finished job is no longer followed
    expect(transport.listenerCount()).toBe(0);
    stop();
  });

  it('rejects when the engine refuses the start, and follows nothing', async () => {
    const transport = createMemoryTransport({});
    useTransport(transport);
    const seen: ImportJob[] = [];
    await expect(startImportJob({ tools: ['gemini'] }, (job) => seen.push(job))).rejects.toThrow('no test handler for import_start');
    expect(seen).toEqual([]);
    expect(transport.listenerCount()).toBe(0);
  });
});
