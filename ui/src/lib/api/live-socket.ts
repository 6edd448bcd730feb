// One shared WebSocket to `/ws` for every live subscriber of the page. It opens with the first
// subscriber, closes with the last, and reconnects with exponential backoff (plus jitter) so a
// restarting engine is not hammered. With a stored access token (a team's server) the socket is
// opened with the subprotocols `ai-observer` and `bearer.<token>`, since a browser cannot set an
// Authorization header on a WebSocket; without one it opens exactly as before, with no subprotocol.
import { accessToken } from './access-token';
import { LIVE_MESSAGE_TYPES, type LiveMessage, type LiveMessageType } from './live-types';
import type { ConnectionListener, LiveListener } from './transport';

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** The subprotocol the server answers with when it accepts a token offered as `bearer.<token>`. */
export const LIVE_SUBPROTOCOL = 'ai-observer';

/** Subprotocols that carry `token`, or none without one. */
export function liveProtocols(token: string | null): string[] | undefined {
  return token ? [LIVE_SUBPROTOCOL, `bearer.${token}`] : undefined;
}

export type BackoffOptions = { initialMs: number; maxMs: number; jitter: number };

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, jitter: 0.1 };

/** Delay before reconnect attempt `attempt` (0-based): initial * 2^attempt, capped, +/- jitter. */
export function reconnectDelay(attempt: number, backoff: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt));
  const spread = base * backoff.jitter;
  return Math.round(base - spread + random() * 2 * spread);
}

/** Parses one socket frame; anything that is not a `{type, timestamp, payload}` we know is dropped. */
export function parseLiveMessage(data: unknown): LiveMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (!LIVE_MESSAGE_TYPES.includes(record.type as LiveMessageType)) return null;
  if (typeof record.timestamp !== 'string') return null;
  if (record.payload === undefined) return null;
  return value as LiveMessage;
}

export type LiveSocketOptions = {
  url: string;
  WebSocketImpl?: WebSocketConstructor;
  backoff?: BackoffOptions;
  /** The token to offer, read at every (re)connect; the stored one by default. */
  token?: () => string | null;
};

export type LiveSocket = {
  subscribe(listener: LiveListener): () => void;
  onConnectionChange(listener: ConnectionListener): () => void;
  isConnected(): boolean;
};

export function createLiveSocket(options: LiveSocketOptions): LiveSocket {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const token = options.token ?? accessToken;
  const listeners = new Set<LiveListener>();
  const connectionListeners = new Set<ConnectionListener>();
  let socket: WebSocket | null = null;
  let connected = false;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  function setConnected(value: boolean): void {
    if (connected === value) return;
    connected = value;
    for (const listener of connectionListeners) listener(value);
  }

  function scheduleReconnect(): void {
    if (listeners.size === 0 || reconnectTimer !== null) return;
    const delay = reconnectDelay(attempt, backoff);
    attempt += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      open();
    }, delay);
  }

  function open(): void {
    const Impl = options.WebSocketImpl ?? (globalThis.WebSocket);
    if (!Impl || socket !== null || listeners.size === 0) return;
    let current: WebSocket;
    try {
      const protocols = liveProtocols(token());
      current = protocols ? new Impl(options.url, protocols) : new Impl(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = current;
    current.onopen = () => {
      attempt = 0;
      setConnected(true);
    };
    current.onmessage = (event: MessageEvent) => {
      const message = parseLiveMessage(event.data);
      if (!message) return;
      for (const listener of [...listeners]) listener(message);
    };
    current.onclose = () => {
      if (socket === current) socket = null;
      setConnected(false);
      scheduleReconnect();
    };
    current.onerror = () => {
      // onclose follows and schedules the reconnect
    };
  }

  function close(): void {
    if (reconnectTimer !== null) {
      clearTimeout(reconnectTimer);
      reconnectTimer = null;
    }
    const current = socket;
    socket = null;
    attempt = 0;
    if (current) {
      current.onclose = null;
      current.onmessage = null;
      current.close();
    }
    setConnected(false);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) close();
      };
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      listener(connected);
      return () => connectionListeners.delete(listener);
    },
    isConnected: () => connected,
  };
}
