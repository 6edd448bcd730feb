// Follows one import job until it ends: live `import_progress` messages first, and polling
// `import_job` as a fallback — at most once a second, and only while no live update came in.
import type { LiveMessage } from '../../api/live-types';
import type { ImportJob } from '../../api/types.gen';

export const POLL_INTERVAL_MS = 1000;

export type ImportJobWatchOptions = {
  jobId: string;
  subscribe: (listener: (message: LiveMessage) => void) => () => void;
  fetchJob: (jobId: string) => Promise<ImportJob>;
  onUpdate: (job: ImportJob) => void;
  now?: () => number;
};

export function isFinished(job: ImportJob): boolean {
  return job.state !== 'running';
}

export function watchImportJob(options: ImportJobWatchOptions): () => void {
  const now = options.now ?? Date.now;
  let stopped = false;
  let lastUpdate = 0;
  let polling = false;

  const deliver = (job: ImportJob) => {
    if (stopped || job.id !== options.jobId) return;
    lastUpdate = now();
    options.onUpdate(job);
    if (isFinished(job)) stop();
  };

  const unsubscribe = options.subscribe((message) => {
    if (message.type === 'import_progress') deliver(message.payload);
  });

  const timer = setInterval(() => {
    if (stopped || polling) return;
    if (now() - lastUpdate < POLL_INTERVAL_MS) return;
    polling = true;
    options
      .fetchJob(options.jobId)
      .then(deliver)
      .catch(() => undefined)
      .finally(() => {
        polling = false;
      });
  }, POLL_INTERVAL_MS);

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    unsubscribe();
  }

  return stop;
}
