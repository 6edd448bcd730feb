// The typed client: one method per operation in the table, and the runtime transport choice
// (Tauri IPC when __TAURI_INTERNALS__ exists, else HTTP against the page origin).
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { afterEach, describe, expect, it } from 'vitest';
import { api, useTransport } from './client';
import type { LiveMessage } from './live-types';
import { OPERATIONS, type OperationName } from './operations.gen';
import type { Transport } from './transport';

afterEach(() => {
  clearMocks();
  useTransport(null);
});

function collectMethods(node: unknown, found: ((request?: unknown) => Promise<unknown>)[] = []) {
  for (const value of Object.values(node as Record<string, unknown>)) {
    if (typeof value === 'function') found.push(value as (request?: unknown) => Promise<unknown>);
    else if (value && typeof value === 'object') collectMethods(value, found);
  }
  return found;
}

describe('api client', () => {
  it('has a method for every operation of the table and nothing else', async () => {
    const called = new Set<OperationName>();
    const recorder: Transport = {
      call: <_Req, Res>(op: OperationName) => {
        called.add(op);
        return Promise.resolve(undefined as Res);
      },
      subscribe: () => () => {},
    };
    useTransport(recorder);
    const { live, ...operations } = api;
    void live;
    for (const method of collectMethods(operations)) await method({});
    expect([...called].sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  it('answers the empty NoContent object for the 204 operations, whatever the transport returned', async () => {
    const noContent = Object.entries(OPERATIONS).filter(([, route]) => route.status === 204).map(([name]) => name);
    expect(noContent.sort()).toEqual(['dashboard_delete', 'widget_delete']);
    useTransport({ call: <_Req, Res>() => Promise.resolve(undefined as Res), subscribe: () => () => {} });
    expect(await api.widgets.delete({ id: 'd', widgetId: 'w' })).toEqual({});
    expect(await api.dashboards.delete({ id: 'd' })).toEqual({});
  });

  it('every path parameter is a simple name', () => {
    for (const [name, route] of Object.entries(OPERATIONS)) {
      if (route.method === 'DESKTOP') {
        expect(route.path, name).toBe('');
        continue;
      }
      const params = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const param of params) expect(param, name).toMatch(/^[a-zA-Z]+$/);
      expect(route.path.startsWith('/api/'), name).toBe(true);
    }
  });

  it('uses Tauri commands named like the operation, with the request under `request`', async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === 'spend_summary') return { tz: 'UTC' };
      // Tauri rejects a failed command with the command's error value itself, a plain object.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      if (cmd === 'trace_spans') throw { code: 'not_found', message: 'trace not found' };
      return null;
    });
    useTransport(null);
    expect(await api.spend.summary({ tz: 'UTC' })).toEqual({ tz: 'UTC' });
    expect(calls).toContainEqual({ cmd: 'spend_summary', args: { request: { tz: 'UTC' } } });
    await api.stats.get();
    expect(calls).toContainEqual({ cmd: 'stats', args: { request: {} } });
    await expect(api.traces.spans({ traceId: 't', kind: 'otel_trace' })).rejects.toMatchObject({ name: 'ApiError', code: 'not_found', status: 404, message: 'trace not found' });
  });

  it('receives live messages from the Tauri `live` event', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    useTransport(null);
    const received: LiveMessage[] = [];
    const stop = api.live.subscribe((message) => received.push(message));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const message: LiveMessage = { type: 'usage', timestamp: '2026-11-28T12:00:00Z', payload: [{ tool: 'claude-code', requests: 1 }] };
    await emit('live', message);
    expect(received).toEqual([message]);
    stop();
  });
});
