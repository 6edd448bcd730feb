import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { ImportJob } from '../../src/lib/api/types.gen';
import ImportPage from '../../src/routes/ImportPage.svelte';
import { importJob, importResult, scanTool, tokens } from '../support/fixtures';
import { createMemoryTransport } from '../support/memory-transport';

const running = (filesDone: number): ImportJob =>
  importJob({
    id: 'job-9',
    progress: { filesDone, filesTotal: 4, bytesDone: filesDone * 1024, bytesTotal: 4096, records: filesDone * 100, currentFile: `/home/dev/.claude/projects/p/${filesDone}.jsonl` },
  });

describe('ImportPage', () => {
  it('scans, warns about Claude retention, imports with live progress and shows the result', async () => {
    const transport = createMemoryTransport({
      import_scan: () => ({
        tools: [
          scanTool('claude-code', { roots: ['/home/dev/.claude/projects'], files: 120, bytes: 52_428_800, newFiles: 100, changedFiles: 2, importedFiles: 18, bytesToRead: 41_943_040, firstTime: '2026-10-01T00:00:00Z', lastTime: '2026-11-28T00:00:00Z' }),
          scanTool('codex', { roots: ['/home/dev/.codex/sessions'], files: 4, bytes: 4096, newFiles: 4, bytesToRead: 4096, firstTime: '2026-11-20T00:00:00Z', lastTime: '2026-11-27T00:00:00Z' }),
          scanTool('gemini'),
        ],
        claudeRetention: { cleanupPeriodDays: 30, isDefault: true, settingsPath: '/home/dev/.claude/settings.json' },
      }),
      import_start: () => ({ jobId: 'job-9' }),
      import_job: () => running(1),
    });
    useTransport(transport);
    render(ImportPage);

    await fireEvent.click(screen.getByTestId('import-scan'));
    const results = await screen.findByTestId('scan-results');
    expect(results.textContent).toContain('50 MB');
    expect(results.textContent).toContain('100 new, 2 changed');
    expect(screen.getByTestId('scan-to-read-claude-code').textContent).toBe('40 MB');
    expect(screen.getByTestId('retention-warning').textContent).toContain('/home/dev/.claude/settings.json');

    // gemini has no files: not selectable; deselect codex
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Import Codex CLI' }));
    await fireEvent.click(screen.getByTestId('import-start'));
    await waitFor(() => expect(transport.callsOf('import_start')[0]?.request).toEqual({ tools: ['claude-code'], from: undefined, to: undefined, force: undefined }));

    const progress = await screen.findByTestId('import-progress');
    transport.emit({ type: 'import_progress', timestamp: '', payload: running(2) });
    await waitFor(() => expect(progress.dataset.fraction).toBe('0.5000'));
    expect(progress.textContent).toContain('2 of 4 files');
    expect(screen.getByTestId('import-current-file').textContent).toBe('/home/dev/.claude/projects/p/2.jsonl');

    transport.emit({
      type: 'import_progress',
      timestamp: '',
      payload: {
        ...running(4),
        state: 'done',
        result: importResult({
          tools: [{ tool: 'claude-code', files: 4, records: 400, requests: 120, tokens: tokens({ input: 1000, output: 500, cacheRead: 8500 }), costUsd: 1.2345, unpricedRequests: 3 }],
          errors: [{ file: '/home/dev/.claude/projects/a.jsonl', line: 17, message: 'unexpected end of JSON' }],
        }),
      },
    });
    const result = await screen.findByTestId('import-result');
    expect(result.dataset.state).toBe('done');
    expect(screen.getByTestId('import-cost-claude-code').textContent).toBe('$1.23');
    expect(screen.getByTestId('import-errors').textContent).toContain('/home/dev/.claude/projects/a.jsonl:17');
    expect(screen.getByTestId('import-result-claude-code').textContent).toContain('3 unpriced');
  });

  it('shows why a job failed', async () => {
    const transport = createMemoryTransport({
      import_scan: () => ({ tools: [scanTool('gemini', { files: 2, bytes: 10, newFiles: 2, bytesToRead: 10 })], claudeRetention: { cleanupPeriodDays: 365, isDefault: false, settingsPath: '' } }),
      import_start: () => ({ jobId: 'job-9' }),
      import_job: () => importJob({ id: 'job-9', state: 'failed', error: 'database is read-only' }),
    });
    useTransport(transport);
    render(ImportPage);
    await fireEvent.click(screen.getByTestId('import-scan'));
    await fireEvent.click(await screen.findByTestId('import-start'));
    const result = await screen.findByTestId('import-result', {}, { timeout: 3000 });
    expect(result.dataset.state).toBe('failed');
    expect(screen.getByTestId('import-failure').textContent).toBe('database is read-only');
  });

  it('cancels a running import', async () => {
    const transport = createMemoryTransport({
      import_scan: () => ({ tools: [scanTool('codex', { files: 1, bytes: 1, newFiles: 1, bytesToRead: 1 })], claudeRetention: { cleanupPeriodDays: 365, isDefault: false, settingsPath: '' } }),
      import_start: () => ({ jobId: 'job-9' }),
      import_job: () => running(0),
      import_cancel: () => ({ ...running(1), state: 'cancelled', result: importResult({ cancelled: true }) }),
    });
    useTransport(transport);
    render(ImportPage);
    await fireEvent.click(screen.getByTestId('import-scan'));
    expect(screen.queryByTestId('retention-warning')).toBeNull();
    await fireEvent.click(await screen.findByTestId('import-start'));
    await fireEvent.click(await screen.findByTestId('import-cancel'));
    expect((await screen.findByTestId('import-result')).dataset.state).toBe('cancelled');
  });

  it('says when everything found is already imported and offers no empty import', async () => {
    const transport = createMemoryTransport({
      import_scan: () => ({
        tools: [
          scanTool('claude-code', { files: 4, bytes: 10, importedFiles: 4 }),
          scanTool('codex', { files: 2, bytes: 10, importedFiles: 2 }),
          scanTool('gemini', { files: 2, bytes: 10, importedFiles: 2 }),
        ],
        claudeRetention: { cleanupPeriodDays: 365, isDefault: false, settingsPath: '' },
      }),
      import_start: () => ({ jobId: 'job-1' }),
      import_job: () => running(1),
    });
    useTransport(transport);
    render(ImportPage);
    expect(screen.getByText(/Scanning imports nothing/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('import-scan'));
    const start = await screen.findByTestId('import-start');
    expect(start.textContent?.trim()).toBe('Nothing new to import');
    expect((start as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('import-nothing-new').textContent).toContain('already imported');
    expect(screen.queryByText(/Nothing is imported yet/)).toBeNull();

    await fireEvent.click(screen.getByRole('checkbox', { name: /Re-import/ }));
    expect(start.textContent?.trim()).toBe('Import 3 tools');
    expect((start as HTMLButtonElement).disabled).toBe(false);
  });
});
