import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { useTransport } from '../../src/lib/api/client';
import type { SetupStatus } from '../../src/lib/api/types.gen';
import SetupPage from '../../src/routes/SetupPage.svelte';
import { createMemoryTransport } from '../support/memory-transport';

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
});
