// @vitest-environment node
// The HTTP transport against a real loopback server (node:http): no fetch mocks, real sockets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onUnauthorized } from './access-token';
import { ApiError } from './errors';
import { buildHttpRequest, createHttpTransport, liveUrl } from './http';
import type { Transport } from './transport';

type Seen = { method: string; path: string; query: Record<string, string[]>; body: unknown; contentType: string | undefined; authorization: string | undefined };

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let refusedCreates = 0;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((request, response) => void answer(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

/** The test server: answers by path, records what it was sent. */
async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const text = await readBody(request);
    const query: Record<string, string[]> = {};
    for (const [key, value] of url.searchParams) query[key] = [...(query[key] ?? []), value];
    const authorization = request.headers.authorization;
    seen.push({ method: request.method ?? '', path: url.pathname, query, body: text ? JSON.parse(text) : null, contentType: request.headers['content-type'], authorization });

    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    // a team's server in --require-token mode: a revoked token is refused like a missing one
    if (authorization === 'Bearer aio_revoked') return json(401, { code: 'unauthorized', error: 'this token was revoked', message: 'this token was revoked' });
    if (url.pathname === '/api/spend') return json(200, { groups: [], echo: Object.fromEntries(url.searchParams) });
    if (url.pathname.startsWith('/api/traces/')) return json(404, { code: 'not_found', message: 'trace not found', error: 'trace not found' });
    if (url.pathname === '/api/stats') return json(500, { code: 'internal', message: 'database is locked' });
    if (url.pathname === '/api/logs') return json(400, { error: 'invalid from' });
    if (url.pathname === '/api/services') {
      response.writeHead(502, { 'Content-Type': 'text/html' });
      response.end('<html>bad gateway</html>');
      return;
    }
    if (url.pathname === '/api/dashboards' && request.method === 'POST') {
      // the first change is refused as from a page without the current cookie, then accepted
      refusedCreates += 1;
      if (refusedCreates === 1) return json(403, { code: 'forbidden', message: 'page cookie missing' });
      return json(201, { id: 'd1' });
    }
    if (url.pathname === '/api/delete') return json(403, { code: 'forbidden', message: 'not from this page' });
    if (request.method === 'DELETE') {
      response.writeHead(204);
      response.end();
      return;
    }
    return json(200, { ok: true });
  }
}

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

function transport(): Transport {
  return createHttpTransport({ baseUrl });
}

describe('buildHttpRequest', () => {
  it('substitutes and URL-encodes path parameters and keeps the rest as query', () => {
    const built = buildHttpRequest('trace_spans', { traceId: 'a/b c?', kind: 'codex_operation' }, 'http://x:1/');
    expect(built).toEqual({ method: 'GET', url: 'http://x:1/api/traces/a%2Fb%20c%3F?kind=codex_operation' });
  });

  it('rejects a missing path parameter', () => {
    expect(() => buildHttpRequest('import_job', {}, 'http://x')).toThrow(ApiError);
  });

  it('derives the live socket URL from the base', () => {
    expect(liveUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/ws');
    expect(liveUrl('https://observer.local/')).toBe('wss://observer.local/ws');
  });
});

describe('HTTP transport (real loopback server)', () => {
  it('sends GET fields as query parameters, skipping undefined and null', async () => {
    const answer = await transport().call<Record<string, unknown>, { echo: Record<string, string> }>('spend', {
      from: '2026-11-01T00:00:00Z',
      to: undefined,
      groupBy: 'day',
      tz: 'Europe/Berlin',
      tool: null,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.path).toBe('/api/spend');
    expect(seen[0]?.query).toEqual({ from: ['2026-11-01T00:00:00Z'], groupBy: ['day'], tz: ['Europe/Berlin'] });
    expect(seen[0]?.body).toBeNull();
    expect(answer.echo.tz).toBe('Europe/Berlin');
  });

  it('sends POST/PUT fields as a JSON body and path fields in the path', async () => {
    await transport().call('widget_positions', { id: 'dash 1', positions: [{ id: 'w1', gridColumn: 2, gridRow: 3 }] });
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      path: '/api/dashboards/dash%201/widgets/positions',
      query: {},
      body: { positions: [{ id: 'w1', gridColumn: 2, gridRow: 3 }] },
      contentType: 'application/json',
    });

    await transport().call('settings_update', { timeZone: 'UTC', dailyBudgetUsd: null });
    expect(seen[1]).toMatchObject({ method: 'PUT', path: '/api/settings', body: { timeZone: 'UTC', dailyBudgetUsd: null } });

    await transport().call('import_cancel', { jobId: 'job/7' });
    expect(seen[2]).toMatchObject({ method: 'POST', path: '/api/import/jobs/job%2F7/cancel', body: {} });
  });

  it('puts DELETE fields in the query and returns an empty object for 204', async () => {
    const result = await transport().call('widget_delete', { id: 'd1', widgetId: 'w9' });
    expect(result).toEqual({});
    expect(seen[0]).toMatchObject({ method: 'DELETE', path: '/api/dashboards/d1/widgets/w9', query: {} });
  });

  it('turns a {code, message} error body into an ApiError', async () => {
    const error = await transport()
      .call('trace_spans', { traceId: 'missing', kind: 'otel_trace' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not_found', message: 'trace not found', status: 404 });

    await expect(transport().call('stats', {})).rejects.toMatchObject({ code: 'internal', message: 'database is locked', status: 500 });
  });

  it('maps bodies without a code (old {error} shape, HTML) by status', async () => {
    await expect(transport().call('logs_list', {})).rejects.toMatchObject({ code: 'bad_request', message: 'invalid from', status: 400 });
    await expect(transport().call('services_list', {})).rejects.toMatchObject({ code: 'unavailable', status: 502 });
  });

  it('sends a change refused with 403 once more (the refusal set the new page cookie), and no more', async () => {
    refusedCreates = 0;
    await expect(transport().call('dashboard_create', { name: 'Mine' })).resolves.toEqual({ id: 'd1' });
    expect(seen.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /api/dashboards', 'POST /api/dashboards']);
    seen = [];
    await expect(transport().call('delete_data', { scope: 'all', from: '2026-01-01', to: '2026-01-02' })).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(seen).toHaveLength(2);
  });

  it('sends Authorization: Bearer only while a token is stored, read at every request', async () => {
    let stored: string | null = null;
    const authorised = createHttpTransport({ baseUrl, token: () => stored });
    await authorised.call('stats', {}).catch(() => undefined);
    stored = 'aio_0123';
    await authorised.call('settings_update', { timeZone: 'UTC' });
    stored = null;
    await authorised.call('stats', {}).catch(() => undefined);
    expect(seen.map((request) => request.authorization)).toEqual([undefined, 'Bearer aio_0123', undefined]);
    expect(seen[1]?.contentType).toBe('application/json');
    // the default source is the stored token; there is no storage under node, so nothing is sent
    await transport().call('stats', {}).catch(() => undefined);
    expect(seen[3]?.authorization).toBeUndefined();
  });

  it('tells the unauthorized listeners what a 401 said, and still rejects with the ApiError', async () => {
    const heard: string[] = [];
    const stop = onUnauthorized((message) => heard.push(message));
    const refused = createHttpTransport({ baseUrl, token: () => 'aio_revoked' });
    await expect(refused.call('stats', {})).rejects.toMatchObject({ code: 'unauthorized', message: 'this token was revoked', status: 401 });
    expect(heard).toEqual(['this token was revoked']);
    // other failures are not a reason to sign in
    await transport().call('stats', {}).catch(() => undefined);
    await transport().call('delete_data', { scope: 'all', from: '2026-01-01', to: '2026-01-02' }).catch(() => undefined);
    expect(heard).toHaveLength(1);
    stop();
    await refused.call('stats', {}).catch(() => undefined);
    expect(heard).toHaveLength(1);
  });

  it('reports an unreachable server as unavailable with status 0', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = createHttpTransport({ baseUrl: `http://127.0.0.1:${port}` });
    await expect(offline.call('stats', {})).rejects.toMatchObject({ code: 'unavailable', status: 0 });
  });
});
