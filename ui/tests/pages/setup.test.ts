import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { ConfigPlan, SetupStatus, ToolConfigRequest } from '../../src/lib/api/types.gen';
import SetupPage from '../../src/routes/SetupPage.svelte';
import { createMemoryTransport } from '../support/memory-transport';

const STATUS: SetupStatus = { ports: { api: 8080, otlpHttp: 4318, otlpGrpc: 4317 }, tools: [] };

/** What the desktop app answers for Claude Code's status line when the user already has one. */
const STATUS_LINE_PLAN: ConfigPlan = {
  tool: 'claude-code',
  path: '/home/me/.claude/settings.json',
  exists: true,
  currentContent: '{\n  "model": "opus",\n  "statusLine": {\n    "type": "command",\n    "command": "~/bin/git-line"\n  }\n}\n',
  newContent: '{\n  "model": "opus",\n  "statusLine": {\n    "type": "command",\n    "command": "\'/opt/ai-observer\' statusline --chain \'~/bin/git-line\'"\n  }\n}\n',
  changed: true,
  diff: [
    { change: 'same', text: '{' },
    { change: 'same', text: '  "model": "opus",' },
    { change: 'same', text: '  "statusLine": {' },
    { change: 'same', text: '    "type": "command",' },
    { change: 'removed', text: '    "command": "~/bin/git-line"' },
    { change: 'added', text: '    "command": "\'/opt/ai-observer\' statusline --chain \'~/bin/git-line\'"' },
    { change: 'same', text: '  }' },
    { change: 'same', text: '}' },
  ],
  notes: ['Your status line (~/bin/git-line) keeps running: AI Observer\'s part is added after its output.'],
};

/** Pretends to be the desktop window (the client checks for Tauri's internals); the test's transport still answers. */
function inDesktop(): void {
  (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
}

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
});

describe('SetupPage', () => {
  it('builds every snippet from the reported ports and shows live status per tool', async () => {
    let status: SetupStatus = {
      ports: { api: 8080, otlpHttp: 4400, otlpGrpc: 4317 },
      tools: [
        { tool: 'claude-code', lastOtlpEvent: '2026-11-28T12:00:00Z', otlpRecords: 42, lastImport: null, importedRecords: 0 },
        { tool: 'codex', lastOtlpEvent: null, otlpRecords: 0, lastImport: null, importedRecords: 0 },
      ],
    };
    const transport = createMemoryTransport({ setup_status: () => status });
    useTransport(transport);
    render(SetupPage);

    const env = await screen.findByTestId('setup-claude-env');
    expect(env.textContent).toContain('export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4400');
    expect(env.textContent).not.toContain('OTEL_LOG_USER_PROMPTS');
    expect(screen.getByTestId('setup-codex-toml').textContent).toContain('endpoint = "http://127.0.0.1:4400/v1/traces"');
    expect(screen.getByTestId('setup-gemini-settings').textContent).toContain('"otlpEndpoint": "http://127.0.0.1:4400"');

    await fireEvent.click(screen.getByTestId('setup-log-prompts'));
    expect(screen.getByTestId('setup-claude-env').textContent).toContain('export OTEL_LOG_USER_PROMPTS=1');
    expect(screen.getByTestId('setup-codex-toml').textContent).toContain('log_user_prompt = true');

    expect(screen.getByTestId('setup-status-claude-code').textContent).toContain('Received at');
    expect(screen.getByTestId('setup-status-codex').textContent).toContain('Waiting for the first event');
    expect(screen.getByTestId('setup-status-gemini').textContent).toContain('Waiting for the first event');

    status = { ...status, tools: [...status.tools.slice(0, 1), { tool: 'codex', lastOtlpEvent: '2026-11-28T12:01:00Z', otlpRecords: 3, lastImport: null, importedRecords: 0 }] };
    transport.emit({ type: 'logs', timestamp: '2026-11-28T12:01:00Z', payload: [] });
    await waitFor(() => expect(screen.getByTestId('setup-status-codex').dataset.connected).toBe('true'), { timeout: 3000 });
    expect(transport.callsOf('setup_status')).toHaveLength(2);
  });

  it('shows Claude Code’s status-line setting to paste in a browser', async () => {
    useTransport(createMemoryTransport({ setup_status: () => STATUS }));
    render(SetupPage);
    const snippet = await screen.findByTestId('setup-claude-statusline');
    expect(JSON.parse(snippet.textContent ?? '')).toEqual({ statusLine: { type: 'command', command: 'ai-observer statusline' } });
    expect(screen.getByTestId('setup-claude-statusline-copy').textContent?.trim()).toBe('Copy');
    expect(screen.getByTestId('setup-statusline').textContent).toContain("ai-observer statusline --chain '<your command>'");
    expect(screen.queryByTestId('setup-statusline-config')).toBeNull();
  });

  it('in the desktop app previews the status line, with the diff and notes, then writes it', async () => {
    inDesktop();
    const transport = createMemoryTransport({
      setup_status: () => STATUS,
      tool_config_preview: () => STATUS_LINE_PLAN,
      tool_config_apply: () => ({ tool: 'claude-code', path: STATUS_LINE_PLAN.path, changed: true, backupPath: `${STATUS_LINE_PLAN.path}.bak-20261130T120000Z` }),
    });
    useTransport(transport);
    render(SetupPage);

    await fireEvent.click(await screen.findByTestId('setup-statusline-config-preview'));
    const plan = await screen.findByTestId('setup-statusline-config-plan');
    const asked: ToolConfigRequest = { tool: 'claude-code', part: 'statusLine' };
    expect(transport.callsOf('tool_config_preview')[0]?.request).toEqual(asked);
    expect(plan.textContent).toContain('/home/me/.claude/settings.json');
    expect(plan.textContent).toContain('1 line added, 1 removed');
    expect(screen.getByTestId('setup-statusline-config-notes').textContent).toContain('Your status line (~/bin/git-line) keeps running');
    const lines = [...plan.querySelectorAll('.diff-line')].map((line) => line.textContent);
    expect(lines).toContain('-     "command": "~/bin/git-line"');
    expect(lines).toContain('+     "command": "\'/opt/ai-observer\' statusline --chain \'~/bin/git-line\'"');
    expect(transport.callsOf('tool_config_apply')).toHaveLength(0);
    expect(screen.queryByTestId('setup-claude-statusline')).toBeNull();

    await fireEvent.click(screen.getByTestId('setup-statusline-config-apply'));
    const applied = await screen.findByTestId('setup-statusline-config-applied');
    expect(transport.callsOf('tool_config_apply')[0]?.request).toEqual(asked);
    expect(applied.textContent).toContain('Written to /home/me/.claude/settings.json');
    expect(applied.textContent).toContain('/home/me/.claude/settings.json.bak-20261130T120000Z');
    expect(screen.queryByTestId('setup-statusline-config-plan')).toBeNull();
  });

  it('in the desktop app says when the status line is already set, and offers no apply', async () => {
    inDesktop();
    const unchanged = { ...STATUS_LINE_PLAN, newContent: STATUS_LINE_PLAN.currentContent, changed: false, diff: STATUS_LINE_PLAN.diff.filter((line) => line.change === 'same'), notes: [] };
    useTransport(createMemoryTransport({ setup_status: () => STATUS, tool_config_preview: () => unchanged }));
    render(SetupPage);
    await fireEvent.click(await screen.findByTestId('setup-statusline-config-preview'));
    expect((await screen.findByTestId('setup-statusline-config-unchanged')).textContent).toBe('Already set: applying would change nothing.');
    expect(screen.queryByTestId('setup-statusline-config-apply')).toBeNull();
  });

  it('in the desktop app previews each tool’s telemetry settings with the prompt choice it shows', async () => {
    inDesktop();
    const codexPlan = { ...STATUS_LINE_PLAN, tool: 'codex' as const, path: '/home/me/.codex/config.toml', notes: [] };
    const transport = createMemoryTransport({ setup_status: () => STATUS, tool_config_preview: () => codexPlan });
    useTransport(transport);
    render(SetupPage);
    await fireEvent.click(await screen.findByTestId('setup-log-prompts'));
    await fireEvent.click(await screen.findByTestId('setup-codex-config-preview'));
    expect((await screen.findByTestId('setup-codex-config-plan')).textContent).toContain('/home/me/.codex/config.toml');
    const asked: ToolConfigRequest = { tool: 'codex', logPrompts: true };
    expect(transport.callsOf('tool_config_preview')[0]?.request).toEqual(asked);
    expect(screen.getByTestId('setup-claude-config-preview')).toBeTruthy();
    expect(screen.getByTestId('setup-gemini-config-preview')).toBeTruthy();
    // Changing the choice makes the shown preview stale: it is no longer offered for applying.
    await fireEvent.click(screen.getByTestId('setup-log-prompts'));
    expect(screen.queryByTestId('setup-codex-config-plan')).toBeNull();
  });
});
