// Starting an import job and following it to its end, the one way the Import page's wizard and the
// Overview's first-run welcome run an import: `import_start`, then the job as it moves
// (import-job-watch.ts: live messages, polling as a fallback).
import { api } from '../../api/client';
import type { ImportJob, ImportStartRequest } from '../../api/types.gen';
import { watchImportJob } from './import-job-watch';

/** What a job looks like between `import_start` answering and its first progress update. */
export function pendingJob(jobId: string, startedAt: Date = new Date()): ImportJob {
  return {
    id: jobId,
    state: 'running',
    progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, records: 0, currentFile: null, spendReady: false },
    result: null,
    error: null,
    startedAt: startedAt.toISOString(),
  };
}

/**
 * Starts an import and reports the job on every change until it ends (first the pending job).
 * Resolves with the function that stops following it; rejects when the start is refused.
 */
export async function startImportJob(request: ImportStartRequest, onUpdate: (job: ImportJob) => void): Promise<() => void> {
  const { jobId } = await api.import.start(request);
  onUpdate(pendingJob(jobId));
  return watchImportJob({
    jobId,
    subscribe: api.live.subscribe,
    fetchJob: (id) => api.import.job({ jobId: id }),
    onUpdate,
  });
}

/** Asks the engine to stop `job`; resolves with the job as it is then. */
export function cancelImportJob(job: ImportJob): Promise<ImportJob> {
  return api.import.cancel({ jobId: job.id });
}
