import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ImportJob, ImportProgress } from '../../api/types.gen';
import ImportProgressView from './ImportProgressView.svelte';

function job(state: ImportJob['state'], progress: Partial<ImportProgress>): ImportJob {
  return {
    id: 'job-1',
    state,
    progress: { filesDone: 0, filesTotal: 900, bytesDone: 0, bytesTotal: 987_000_000, records: 0, currentFile: null, spendReady: false, ...progress },
    result: null,
    error: null,
    startedAt: '2026-12-02T14:00:00Z',
  };
}

describe('ImportProgressView', () => {
  it('says the spend is complete once the usage is stored, while the transcripts are read', () => {
    render(ImportProgressView, { job: job('running', { spendReady: true, filesDone: 12, bytesDone: 10_500_000 }) });
    expect(screen.getByTestId('import-spend-ready').textContent).toBe('Spend is complete; the transcripts are still being read.');
    expect(screen.getByTestId('import-progress').dataset.fraction).toBe('0.0106');
  });

  it('says nothing about the spend before it is complete, nor once the import ended', () => {
    const { unmount } = render(ImportProgressView, { job: job('running', { filesDone: 12 }) });
    expect(screen.queryByTestId('import-spend-ready')).toBeNull();
    unmount();
    render(ImportProgressView, { job: job('done', { spendReady: true, filesDone: 900, bytesDone: 987_000_000 }) });
    expect(screen.queryByTestId('import-spend-ready')).toBeNull();
  });
});
