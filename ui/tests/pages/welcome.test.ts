// The Overview on a first run: with an empty database it opens on the welcome (the assistants the
// scan found, their telemetry, one import), in a browser and in the desktop app; with data it is the
// normal Overview.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { ConfigPlan, ImportJob, ScanResponse, SetupStatus, SpendRequest, SpendSummary, Stats, ToolConfigRequest } from '../../src/lib/api/types.gen';
import { forgetLeftWelcome } from '../../src/lib/features/welcome/first-run.svelte';
import OverviewPage from '../../src/routes/OverviewPage.svelte';
import { importJob, importResult, scanTool, spendGroup, spendResponse, tokens } from '../support/fixtures';
import { createMemoryTransport, type Handlers } from '../support/memory-transport';

const EMPTY_STATS: Stats = { traceCount: 0, rawTraceCount: 0, codexOperationCount: 0, spanCount: 0, logCount: 0, metricCount: 0, serviceCount: 0, services: [], errorRate: 0 };
const NONE = spendGroup('none', 0, { requests: 0 });
const EMPTY_SUMMARY: SpendSummary = { tz: 'UTC', today: NONE, last7Days: NONE, last30Days: NONE, thisMonth: NONE, todayByTool: [], unpricedModels: [] };

const SCAN: ScanResponse = {
  tools: [
    scanTool('claude-code', { roots: ['/home/dev/.claude/projects'], files: 12, bytes: 3_145_728, newFiles: 12, bytesToRead: 3_145_728 }),
    scanTool('codex', { roots: ['/home/dev/.codex/sessions'], files: 3, bytes: 4096, newFiles: 3, bytesToRead: 4096 }),
    scanTool('gemini', { roots: ['/home/dev/.gemini/tmp'] }),
  ],
  claudeRetention: { cleanupPeriodDays: 30, isDefault: true, settingsPath: '/home/dev/.claude/settings.json' },
};

const STATUS: SetupStatus = {
  ports: { api: 8080, otlpHttp: 4318, otlpGrpc: 4317 },
  tools: [
    { tool: 'claude-code', lastOtlpEvent: null, otlpRecords: 0, lastImport: null, importedRecords: 0 },
    { tool: 'codex', lastOtlpEvent: null, otlpRecords: 0, lastImport: null, importedRecords: 0 },
    { tool: 'gemini', lastOtlpEvent: null, otlpRecords: 0, lastImport: null, importedRecords: 0 },
  ],
};

/** An engine with nothing stored yet and the scan's session files on its machine. */
function emptyEngine(extra: Handlers = {}): Handlers {
  return {
    stats: () => EMPTY_STATS,
    spend_summary: () => EMPTY_SUMMARY,
    budget: () => ({ tz: 'UTC', daily: null, monthly: null }),
    spend: (request: SpendRequest) => spendResponse(request.groupBy ?? 'tool', []),
    sessions_list: () => ({ sessions: [], total: 0, hasMore: false }),
    limits_latest: () => ({ limits: [] }),
    log_levels: () => ({}),
    logs_list: () => ({ logs: [], total: 0, hasMore: false }),
    import_scan: () => SCAN,
    setup_status: () => STATUS,
    ...extra,
  };
}

function settingsPlan(tool: ConfigPlan['tool'], changed: boolean): ConfigPlan {
  const paths: Partial<Record<ConfigPlan['tool'], string>> = {
    'claude-code': '/home/dev/.claude/settings.json',
    codex: '/home/dev/.codex/config.toml',
    gemini: '/home/dev/.gemini/settings.json',
    'qwen-code': '/home/dev/.qwen/settings.json',
  };
  const path = paths[tool] ?? `/home/dev/.${tool}/settings.json`;
  return {
    tool,
    path,
    exists: true,
    currentContent: '{}\n',
    newContent: changed ? '{\n  "env": {}\n}\n' : '{}\n',
    changed,
    diff: changed ? [{ change: 'removed', text: '{}' }, { change: 'added', text: '{' }, { change: 'added', text: '  "env": {}' }, { change: 'added', text: '}' }] : [{ change: 'same', text: '{}' }],
    notes: [],
  };
}

/** Pretends to be the desktop window (the client checks for Tauri's internals); the test's transport still answers. */
function inDesktop(): void {
  (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
}

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
  forgetLeftWelcome();
});

describe('OverviewPage: the first-run welcome', () => {
  it('opens on the welcome when the database is empty, with what the scan found per assistant', async () => {
    const transport = createMemoryTransport(emptyEngine());
    useTransport(transport);
    render(OverviewPage);

    expect((await screen.findByRole('heading', { level: 1, name: 'Welcome to AI Observer' })).textContent).toBe('Welcome to AI Observer');
    const claude = await screen.findByTestId('welcome-files-claude-code');
    expect(claude.textContent).toBe('12 session files (3 MB)');
    expect(claude.dataset.value).toBe('12');
    expect(screen.getByTestId('welcome-files-codex').textContent).toBe('3 session files (4 KB)');
    expect(screen.getByTestId('welcome-files-gemini').textContent).toBe('No session files found');
    expect(screen.getByTestId('welcome-tool-gemini').dataset.found).toBe('false');
    expect(screen.getByTestId('welcome-tool-claude-code').textContent).toContain('Claude Code');
    expect(screen.getByTestId('welcome-telemetry-claude-code').textContent).toBe('Telemetry off');
    // no Overview behind it
    expect(screen.queryByRole('heading', { level: 1, name: 'Overview' })).toBeNull();
    expect(screen.queryByTestId('spend-range')).toBeNull();
    expect(transport.callsOf('import_scan')).toHaveLength(1);
  });

  it('in a browser links each assistant to the Setup page and reads no settings', async () => {
    const transport = createMemoryTransport(emptyEngine());
    useTransport(transport);
    render(OverviewPage);
    for (const tool of ['claude-code', 'codex', 'gemini']) {
      expect((await screen.findByTestId(`welcome-setup-${tool}`)).getAttribute('href')).toBe('/setup');
    }
    expect(screen.queryByTestId('welcome-config-claude-code-preview')).toBeNull();
    expect(transport.callsOf('tool_config_preview')).toHaveLength(0);
  });

  it('shows telemetry that already arrives instead of an action', async () => {
    const receiving: SetupStatus = { ...STATUS, tools: [{ tool: 'codex', lastOtlpEvent: '2026-11-28T12:00:00Z', otlpRecords: 42, lastImport: null, importedRecords: 0 }] };
    useTransport(createMemoryTransport(emptyEngine({ setup_status: () => receiving })));
    render(OverviewPage);
    const codex = await screen.findByTestId('welcome-tool-codex');
    await waitFor(() => expect(screen.getByTestId('welcome-telemetry-codex').dataset.state).toBe('receiving'));
    expect(codex.textContent).toContain('Its telemetry arrives here (42 records so far).');
    expect(screen.queryByTestId('welcome-setup-codex')).toBeNull();
  });

  it('in the desktop app previews each found assistant’s settings, and writes them with a backup', async () => {
    inDesktop();
    const transport = createMemoryTransport(
      emptyEngine({
        tool_config_preview: (request: ToolConfigRequest) => settingsPlan(request.tool, request.tool !== 'codex'),
        tool_config_apply: (request: ToolConfigRequest) => ({ tool: request.tool, path: '/home/dev/.claude/settings.json', changed: true, backupPath: '/home/dev/.claude/settings.json.bak-20261130T120000Z' }),
      }),
    );
    useTransport(transport);
    render(OverviewPage);

    // read-only previews tell which settings already send telemetry here
    await waitFor(() => expect(screen.getByTestId('welcome-telemetry-codex').dataset.state).toBe('configured'));
    expect(transport.callsOf('tool_config_preview').map((call) => call.request)).toEqual([
      { tool: 'claude-code', logPrompts: false },
      { tool: 'codex', logPrompts: false },
      { tool: 'gemini', logPrompts: false },
      { tool: 'qwen-code', logPrompts: false },
    ]);
    expect(screen.getByTestId('welcome-telemetry-claude-code').dataset.state).toBe('not-configured');
    expect(screen.getByTestId('welcome-tool-codex').textContent).toContain("Its settings send telemetry here: Codex CLI's next session shows up live.");
    expect(screen.queryByTestId('welcome-config-codex-preview')).toBeNull();
    // Gemini CLI is not on this machine: Setup explains it, nothing is offered to write
    expect(screen.queryByTestId('welcome-config-gemini-preview')).toBeNull();
    expect(screen.getByTestId('welcome-setup-gemini').getAttribute('href')).toBe('/setup');

    const preview = screen.getByTestId('welcome-config-claude-code-preview');
    expect(preview.textContent?.trim()).toBe('Preview the change');
    await fireEvent.click(preview);
    const plan = await screen.findByTestId('welcome-config-claude-code-plan');
    expect(plan.textContent).toContain('/home/dev/.claude/settings.json');
    expect(plan.textContent).toContain('3 lines added, 1 removed');
    expect(transport.callsOf('tool_config_apply')).toHaveLength(0);

    await fireEvent.click(screen.getByTestId('welcome-config-claude-code-apply'));
    const applied = await screen.findByTestId('welcome-config-claude-code-applied');
    expect(transport.callsOf('tool_config_apply').map((call) => call.request)).toEqual([{ tool: 'claude-code', logPrompts: false }]);
    expect(applied.textContent).toContain('/home/dev/.claude/settings.json.bak-20261130T120000Z');
    expect(screen.getByTestId('welcome-telemetry-claude-code').dataset.state).toBe('configured');
    expect(screen.getByTestId('welcome-telemetry-claude-code').textContent).toBe('Telemetry set up');
  });

  it('imports every found assistant in one click, with progress, then opens the Overview', async () => {
    const running = (filesDone: number): ImportJob =>
      importJob({ id: 'job-5', progress: { filesDone, filesTotal: 15, bytesDone: filesDone * 100, bytesTotal: 1500, records: filesDone * 10, currentFile: `/home/dev/.claude/projects/p/${filesDone}.jsonl` } });
    let imported = false;
    const transport = createMemoryTransport(
      emptyEngine({
        import_start: () => ({ jobId: 'job-5' }),
        import_job: () => running(1),
        spend_summary: () => (imported ? { ...EMPTY_SUMMARY, today: spendGroup('today', 2.5, { requests: 40 }), last7Days: spendGroup('7d', 2.5, { requests: 40 }) } : EMPTY_SUMMARY),
        spend: (request: SpendRequest) => spendResponse(request.groupBy ?? 'tool', imported && request.groupBy === 'model' ? [spendGroup('claude-sonnet-4-5', 2.5, { requests: 40, tokens: tokens({ input: 1000 }) })] : []),
      }),
    );
    useTransport(transport);
    render(OverviewPage);

    expect((await screen.findByTestId('welcome-retention')).textContent).toBe('Claude Code deletes transcripts older than 30 days; importing them now keeps them.');
    const start = screen.getByTestId('welcome-import-start');
    expect(start.textContent?.trim()).toBe('Import 15 files from Claude Code and Codex CLI');
    await fireEvent.click(start);
    await waitFor(() => expect(transport.callsOf('import_start').map((call) => call.request)).toEqual([{ tools: ['claude-code', 'codex'] }]));

    const progress = await screen.findByTestId('import-progress');
    transport.emit({ type: 'import_progress', timestamp: '', payload: running(6) });
    await waitFor(() => expect(progress.dataset.fraction).toBe('0.4000'));
    expect(progress.textContent).toContain('6 of 15 files');
    expect(screen.queryByTestId('welcome-open-overview')).toBeNull();

    // the import's own live messages neither pull the welcome away nor re-read the Overview behind it
    imported = true;
    const summaries = transport.callsOf('spend_summary').length;
    transport.emit({ type: 'usage', timestamp: '', payload: [] });
    transport.emit({ type: 'logs', timestamp: '', payload: [] });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(transport.callsOf('spend_summary')).toHaveLength(summaries);
    transport.emit({
      type: 'import_progress',
      timestamp: '',
      payload: {
        ...running(15),
        state: 'done',
        result: importResult({ tools: [{ tool: 'claude-code', files: 12, records: 400, requests: 30, tokens: tokens(), costUsd: 2, unpricedRequests: 0 }, { tool: 'codex', files: 3, records: 40, requests: 10, tokens: tokens(), costUsd: 0.5, unpricedRequests: 0 }] }),
      },
    });
    const outcome = await screen.findByTestId('welcome-import-outcome');
    expect(outcome.dataset.state).toBe('done');
    expect(outcome.textContent?.trim()).toBe('Finished Imported 40 model requests ($2.50) from 15 files.');
    expect(screen.getByTestId('welcome')).toBeTruthy();

    await fireEvent.click(screen.getByTestId('welcome-open-overview'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeTruthy();
    expect(screen.queryByTestId('welcome')).toBeNull();
    // the numbers read before the import are not shown: the first ones on screen are the new ones
    expect(screen.queryByTestId('spend-range')).toBeNull();
    expect((await screen.findByTestId('spend-range')).dataset.value).toBe('2.5');
    expect(screen.getByTestId('spend-today').dataset.value).toBe('2.5');
  });

  it('says when there is nothing to import, and skips to the Overview', async () => {
    useTransport(createMemoryTransport(emptyEngine({ import_scan: () => ({ ...SCAN, tools: [scanTool('claude-code'), scanTool('codex'), scanTool('gemini')] }) })));
    render(OverviewPage);
    expect((await screen.findByTestId('welcome-nothing-to-import')).textContent).toContain('No session files to import.');
    expect(screen.queryByTestId('welcome-import-start')).toBeNull();
    await fireEvent.click(screen.getByTestId('welcome-skip'));
    expect((await screen.findByTestId('cost-empty')).textContent).toContain('No data yet');
    expect(screen.queryByTestId('welcome')).toBeNull();
  });

  it('is the normal Overview when the database has data, even with nothing in the last 30 days', async () => {
    const transport = createMemoryTransport(emptyEngine({ stats: () => ({ ...EMPTY_STATS, logCount: 120, spanCount: 30 }) }));
    useTransport(transport);
    render(OverviewPage);
    expect((await screen.findByTestId('cost-empty')).textContent).toContain('No data yet');
    expect(screen.getByRole('heading', { level: 1, name: 'Overview' })).toBeTruthy();
    expect(screen.queryByTestId('welcome')).toBeNull();
    expect(transport.callsOf('import_scan')).toHaveLength(0);
  });

  it('asks nothing more than the Overview does when the numbers show data', async () => {
    const transport = createMemoryTransport(
      emptyEngine({
        stats: () => ({ ...EMPTY_STATS, logCount: 120 }),
        spend_summary: () => ({ ...EMPTY_SUMMARY, last30Days: spendGroup('30d', 4, { requests: 9 }), thisMonth: spendGroup('month', 4, { requests: 9 }) }),
      }),
    );
    useTransport(transport);
    render(OverviewPage);
    await screen.findByTestId('spend-30d');
    await waitFor(() => expect(transport.callsOf('stats')).toHaveLength(1));
    expect(screen.queryByTestId('welcome')).toBeNull();
    expect(transport.callsOf('import_scan')).toHaveLength(0);
    expect(transport.callsOf('setup_status')).toHaveLength(0);
  });
});
