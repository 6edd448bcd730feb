// Browser transport: one fetch per operation against the REST port, live messages over `/ws`.
// Path segments `{param}` are filled from request fields; the other fields go to the query string
// (GET/DELETE) or the JSON body (POST/PUT). Error bodies `{code, message}` become ApiError.
// With a stored access token (a team's server) every request carries `Authorization: Bearer`;
// a 401 answer is also reported to the shell, which then asks for a token.
import { accessToken, reportUnauthorized } from './access-token';
import { ApiError, apiErrorFromBody } from './errors';
import { createLiveSocket, type WebSocketConstructor } from './live-socket';
import { OPERATIONS, type OperationName } from './operations.gen';
import type { CallOptions, Transport } from './transport';

export type HttpTransportOptions = {
  /** Origin (and optional prefix) of the REST port, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  fetchImpl?: typeof fetch;
  WebSocketImpl?: WebSocketConstructor;
  /** Per-request time limit; the reference used 30 s. */
  timeoutMs?: number;
  /** The token to send, read at every request and socket open; the stored one by default. */
  token?: () => string | null;
};

export type BuiltRequest = { method: string; url: string; body?: string };

const PATH_PARAM = /\{([A-Za-z0-9_]+)\}/g;

function queryValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Pure: turns an operation and its request object into method, URL and body. */
export function buildHttpRequest(op: OperationName, request: unknown, baseUrl: string): BuiltRequest {
  const route = OPERATIONS[op];
  if (route.method === 'DESKTOP') throw new ApiError('unsupported', `${op} is available in the desktop app only`, 0);
  const fields: Record<string, unknown> = { ...((request ?? {}) as Record<string, unknown>) };

  const path = route.path.replace(PATH_PARAM, (_match, name: string) => {
    const value = fields[name];
    if (value === undefined || value === null || value === '') {
      throw new ApiError('bad_request', `missing path parameter ${name} for ${op}`, 0);
    }
    delete fields[name];
    return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
  });

  const base = baseUrl.replace(/\/+$/, '');
  if (route.method === 'GET' || route.method === 'DELETE') {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        for (const item of value) if (item !== undefined && item !== null) params.append(key, queryValue(item));
      } else {
        params.append(key, queryValue(value));
      }
    }
    const query = params.toString();
    return { method: route.method, url: `${base}${path}${query ? `?${query}` : ''}` };
  }
  return { method: route.method, url: `${base}${path}`, body: JSON.stringify(fields) };
}

async function readErrorBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 300) };
  }
}

/** A signal that aborts on the caller's signal or after the time limit (no AbortSignal.any: older WebKit lacks it). */
function requestSignal(timeoutMs: number, outer?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer) {
    if (outer.aborted) controller.abort(outer.reason);
    else outer.addEventListener('abort', onOuterAbort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

export function liveUrl(baseUrl: string): string {
  const url = new URL('/ws', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export function createHttpTransport(options: HttpTransportOptions): Transport {
  const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const token = options.token ?? accessToken;
  const live = createLiveSocket({ url: liveUrl(options.baseUrl), WebSocketImpl: options.WebSocketImpl, token });

  function headersFor(built: BuiltRequest): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (built.body !== undefined) headers['Content-Type'] = 'application/json';
    // read at each request, so signing in or out takes effect without a new transport
    const current = token();
    if (current) headers.Authorization = `Bearer ${current}`;
    return headers;
  }

  async function send(built: BuiltRequest, callOptions?: CallOptions): Promise<Response> {
    const { signal, dispose } = requestSignal(timeoutMs, callOptions?.signal);
    try {
      return await fetchImpl(built.url, {
        method: built.method,
        headers: headersFor(built),
        body: built.body,
        signal,
      });
    } catch (error) {
      if (callOptions?.signal?.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ApiError('unavailable', `could not reach the AI Observer API (${reason})`, 0);
    } finally {
      dispose();
    }
  }

  async function call<Req, Res>(op: OperationName, request: Req, callOptions?: CallOptions): Promise<Res> {
    const built = buildHttpRequest(op, request, options.baseUrl);
    let response = await send(built, callOptions);
    // A change refused for a missing or outdated page cookie (the server restarted since the page
    // loaded) is sent once more: the refusal itself carried the new cookie.
    if (response.status === 403 && built.method !== 'GET') {
      await response.body?.cancel().catch(() => undefined);
      response = await send(built, callOptions);
    }
    if (!response.ok) {
      const body = await readErrorBody(response);
      const error = apiErrorFromBody(body, response.status, `${op} failed with HTTP ${response.status}`);
      if (response.status === 401) reportUnauthorized(error.message);
      throw error;
    }
    if (response.status === 204) return {} as Res;
    const text = await response.text();
    if (!text) return undefined as Res;
    try {
      return JSON.parse(text) as Res;
    } catch {
      throw new ApiError('internal', `${op} returned a body that is not JSON`, response.status);
    }
  }

  return {
    call,
    subscribe: (listener) => live.subscribe(listener),
    onConnectionChange: (listener) => live.onConnectionChange(listener),
  };
}
