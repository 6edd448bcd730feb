// The Data page: export (count first, then write) and delete with a preview that must match the form.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import { ApiError } from '../../src/lib/api/errors';
import type { DeleteCounts, ExportRequest } from '../../src/lib/api/types.gen';
import DataPage from '../../src/routes/DataPage.svelte';
import { createMemoryTransport } from '../support/memory-transport';

const COUNTS: DeleteCounts = { logs: 120, metrics: 30, traces: 4, spans: 40, usageRecords: 10 };

describe('DataPage', () => {
  it('counts, then exports with the chosen tool, days and layout inside the export folder', async () => {
    const root = '/home/me/.local/share/ai-observer/exports';
    const transport = createMemoryTransport({
      settings_get: () => ({
        timeZone: 'UTC',
        dailyBudgetUsd: null,
        monthlyBudgetUsd: null,
        ports: { api: 8080, otlpHttp: 4318, otlpGrpc: 4317 },
        databasePath: '/home/me/.local/share/ai-observer/ai-observer.duckdb',
        listen: '127.0.0.1',
        version: '0.1.0',
        receivingPaused: false,
        exportRoot: root,
        limitAlerts: { warnPercent: 80, urgentPercent: 95, pace: true },
      }),
      export_data: (request: ExportRequest) => ({
        output: `${root}/${request.output ?? 'export-20261129-120000'}`,
        files: request.dryRun ? [] : ['logs.parquet', 'traces.parquet'],
        traces: 4,
        logs: 120,
        metrics: 30,
        usage: 10,
        bytes: request.dryRun ? 0 : 20_480,
        dryRun: request.dryRun === true,
      }),
    });
    useTransport(transport);
    render(DataPage);

    expect((await screen.findByTestId('export-root')).textContent).toContain(root);
    await fireEvent.input(screen.getByTestId('export-output'), { target: { value: '../elsewhere' } });
    await fireEvent.click(screen.getByTestId('export-run'));
    expect(await screen.findByText('Name a folder inside the export folder (no “..”).')).toBeTruthy();
    expect(transport.callsOf('export_data')).toHaveLength(0);

    await fireEvent.input(screen.getByTestId('export-output'), { target: { value: 'november' } });
    await fireEvent.change(screen.getByTestId('export-tool'), { target: { value: 'codex' } });
    await fireEvent.input(screen.getByTestId('export-from'), { target: { value: '2026-11-01' } });
    await fireEvent.input(screen.getByTestId('export-to'), { target: { value: '2026-11-28' } });
    await fireEvent.click(screen.getByTestId('export-partitioned'));
    await fireEvent.click(screen.getByTestId('export-count'));
    const counted = await screen.findByTestId('export-result');
    expect(counted.dataset.dryRun).toBe('true');
    expect(counted.textContent).toContain('Would export');
    expect(transport.callsOf('export_data')[0]?.request).toEqual({ output: 'november', tool: 'codex', from: '2026-11-01', to: '2026-11-28', partitioned: true, dryRun: true });

    await fireEvent.click(screen.getByTestId('export-zip'));
    await fireEvent.click(screen.getByTestId('export-run'));
    await waitFor(() => expect(screen.getByTestId('export-result').dataset.dryRun).toBe('false'));
    expect(transport.callsOf('export_data')[1]?.request).toEqual({ output: 'november', tool: 'codex', from: '2026-11-01', to: '2026-11-28', zip: true, partitioned: true });
    expect(screen.getByTestId('export-files').textContent).toContain('logs.parquet');
    expect(screen.getByTestId('export-result').textContent).toContain(`${root}/november`);
    expect(screen.getByTestId('export-result').textContent).toContain('20 KB');
  });

  it('shows the engine error of a failed export', async () => {
    useTransport(
      createMemoryTransport({
        export_data: () => {
          throw new ApiError('conflict', 'output folder /x/exports/out is not empty', 409);
        },
      }),
    );
    render(DataPage);
    await fireEvent.input(screen.getByTestId('export-output'), { target: { value: 'out' } });
    await fireEvent.click(screen.getByTestId('export-run'));
    expect((await screen.findByRole('alert')).textContent).toContain('output folder /x/exports/out is not empty');
  });

  it('previews a delete, drops the preview when the form changes, and deletes what was previewed', async () => {
    const transport = createMemoryTransport({
      delete_preview: () => COUNTS,
      delete_data: () => COUNTS,
    });
    useTransport(transport);
    render(DataPage);

    await fireEvent.click(screen.getByTestId('delete-preview'));
    expect(await screen.findByText('Choose the first day.')).toBeTruthy();
    expect(transport.callsOf('delete_preview')).toHaveLength(0);

    await fireEvent.input(screen.getByTestId('delete-from'), { target: { value: '2026-11-01' } });
    await fireEvent.input(screen.getByTestId('delete-to'), { target: { value: '2026-11-02' } });
    await fireEvent.change(screen.getByTestId('delete-service'), { target: { value: 'gemini' } });
    await fireEvent.click(screen.getByTestId('delete-preview'));
    const preview = await screen.findByTestId('delete-preview-result');
    expect(preview.dataset.rows).toBe('200');
    expect(screen.getByTestId('delete-count-logs').dataset.value).toBe('120');
    expect(screen.getByTestId('delete-confirm').textContent).toBe('Delete 200 rows');
    expect(transport.callsOf('delete_preview')[0]?.request).toEqual({ scope: 'all', from: '2026-11-01', to: '2026-11-02', service: 'gemini' });

    await fireEvent.change(screen.getByTestId('delete-scope'), { target: { value: 'logs' } });
    expect(screen.queryByTestId('delete-confirm')).toBeNull();
    expect(screen.getByTestId('delete-preview-stale')).toBeTruthy();
    await fireEvent.change(screen.getByTestId('delete-scope'), { target: { value: 'all' } });
    expect(transport.callsOf('delete_data')).toHaveLength(0);

    await fireEvent.click(screen.getByTestId('delete-confirm'));
    expect((await screen.findByTestId('delete-done')).dataset.rows).toBe('200');
    expect(transport.callsOf('delete_data')[0]?.request).toEqual({ scope: 'all', from: '2026-11-01', to: '2026-11-02', service: 'gemini' });
  });

  it('offers no delete button when nothing is in range', async () => {
    useTransport(createMemoryTransport({ delete_preview: () => ({ logs: 0, metrics: 0, traces: 0, spans: 0, usageRecords: 0 }) }));
    render(DataPage);
    await fireEvent.input(screen.getByTestId('delete-from'), { target: { value: '2026-11-01' } });
    await fireEvent.input(screen.getByTestId('delete-to'), { target: { value: '2026-11-01' } });
    await fireEvent.click(screen.getByTestId('delete-preview'));
    expect((await screen.findByTestId('delete-preview-result')).textContent).toContain('Nothing to delete');
    expect(screen.queryByTestId('delete-confirm')).toBeNull();
  });
});
