// One shared WebSocket to `/ws` for every live subscriber of the page. It opens with the first
// subscriber, closes with the last, and reconnects with exponential backoff (plus jitter) so a
// restarting engine is not hammered.
import { LIVE_MESSAGE_TYPES, type LiveMessage, type LiveMessageType } from './live-types';
import type { ConnectionListener, LiveListener } from './transport';

export type WebSocketConstructor = new (url: string) => WebSocket;

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
};

export type LiveSocket = {
  subscribe(listener: LiveListener): () => void;
  onConnectionChange(listener: ConnectionListener): () => void;
  isConnected(): boolean;
};

export function createLiveSocket(options: LiveSocketOptions): LiveSocket {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
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
      current = new Impl(options.url);
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
