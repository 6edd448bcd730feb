// @vitest-environment node
// The shared live socket against a real WebSocket server on loopback (handshake written with
// node:http + node:crypto), including reconnect. Node 20 has no global WebSocket and jsdom's
// does not run under vitest, so the client is `ws`, which implements the browser API.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from './live-types';
import { createLiveSocket, liveProtocols, parseLiveMessage, reconnectDelay, type WebSocketConstructor } from './live-socket';

// The test setup resolves `ws` with the `browser` condition, which picks ws's browser stub;
// its Node entry file is loaded by path instead.
const require = createRequire(import.meta.url);
const WebSocketImpl = require(join(dirname(require.resolve('ws/package.json')), 'index.js')) as WebSocketConstructor;

let server: Server;
let url: string;
let sockets: Socket[] = [];
let upgrades = 0;
/** The subprotocols each upgrade offered (Sec-WebSocket-Protocol), or undefined when none. */
let offered: (string[] | undefined)[] = [];

function frame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = payload.length < 126 ? Buffer.from([0x81, payload.length]) : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

function broadcast(message: unknown): void {
  for (const socket of sockets) socket.write(frame(typeof message === 'string' ? message : JSON.stringify(message)));
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(async () => {
  sockets = [];
  upgrades = 0;
  offered = [];
  server = createServer();
  server.on('upgrade', (request, socket) => {
    upgrades += 1;
    const protocols = request.headers['sec-websocket-protocol'];
    offered.push(protocols?.split(',').map((protocol) => protocol.trim()));
    const key = String(request.headers['sec-websocket-key']);
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    // like the engine: a token offered as `bearer.<token>` is answered with the subprotocol `ai-observer`
    const chosen = protocols ? 'Sec-WebSocket-Protocol: ai-observer\r\n' : '';
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${chosen}\r\n`);
    socket.on('error', () => {});
    socket.on('data', () => {});
    sockets.push(socket as Socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
});

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('live socket', () => {
  it('delivers {type, timestamp, payload} messages to every subscriber over one connection', async () => {
    const live = createLiveSocket({ url, WebSocketImpl });
    const first: LiveMessage[] = [];
    const second: LiveMessage[] = [];
    const stopFirst = live.subscribe((message) => first.push(message));
    const stopSecond = live.subscribe((message) => second.push(message));
    await until(() => live.isConnected());
    expect(upgrades).toBe(1);

    broadcast({ type: 'usage', timestamp: '2026-11-28T12:00:00Z', payload: [{ tool: 'codex', requests: 2 }] });
    broadcast('not json');
    broadcast({ type: 'unknown', timestamp: 'x', payload: [] });
    await until(() => first.length === 1 && second.length === 1);
    expect(first[0]).toEqual({ type: 'usage', timestamp: '2026-11-28T12:00:00Z', payload: [{ tool: 'codex', requests: 2 }] });

    stopFirst();
    stopSecond();
    expect(live.isConnected()).toBe(false);
  });

  it('reconnects after the server drops the connection', async () => {
    const live = createLiveSocket({ url, WebSocketImpl, backoff: { initialMs: 20, maxMs: 100, jitter: 0 } });
    const states: boolean[] = [];
    live.onConnectionChange((connected) => states.push(connected));
    const received: LiveMessage[] = [];
    const stop = live.subscribe((message) => received.push(message));
    await until(() => live.isConnected());
    for (const socket of sockets) socket.destroy();
    sockets = [];
    await until(() => !live.isConnected());
    await until(() => live.isConnected());
    expect(upgrades).toBe(2);
    broadcast({ type: 'logs', timestamp: '2026-11-28T12:00:01Z', payload: [] });
    await until(() => received.length === 1);
    expect(states).toEqual([false, true, false, true]);
    stop();
  });
});

describe('live socket with an access token', () => {
  it('offers the token as the subprotocols ai-observer and bearer.<token> only while one is stored', async () => {
    let stored: string | null = 'aio_' + 'ab'.repeat(32);
    const live = createLiveSocket({ url, WebSocketImpl, token: () => stored, backoff: { initialMs: 20, maxMs: 100, jitter: 0 } });
    const stop = live.subscribe(() => {});
    await until(() => live.isConnected());
    expect(offered).toEqual([['ai-observer', `bearer.${stored}`]]);

    // the token is read again at the reconnect
    stored = null;
    for (const socket of sockets) socket.destroy();
    sockets = [];
    await until(() => !live.isConnected());
    await until(() => live.isConnected());
    expect(offered).toHaveLength(2);
    expect(offered[1]).toBeUndefined();
    stop();
  });

  it('opens without a protocols argument when there is no token, as before', () => {
    const opened: unknown[][] = [];
    class Recording {
      constructor(...args: unknown[]) {
        opened.push(args);
      }
      close(): void {}
    }
    const Impl = Recording as unknown as WebSocketConstructor;
    const first = createLiveSocket({ url: 'ws://observer.test/ws', WebSocketImpl: Impl, token: () => null });
    first.subscribe(() => {})();
    const second = createLiveSocket({ url: 'ws://observer.test/ws', WebSocketImpl: Impl, token: () => 'aio_1' });
    second.subscribe(() => {})();
    expect(opened).toEqual([['ws://observer.test/ws'], ['ws://observer.test/ws', ['ai-observer', 'bearer.aio_1']]]);
    expect(liveProtocols(null)).toBeUndefined();
    expect(liveProtocols('')).toBeUndefined();
  });
});

describe('live socket pieces', () => {
  it('backs off exponentially with a cap and jitter', () => {
    const backoff = { initialMs: 500, maxMs: 30_000, jitter: 0.1 };
    expect(reconnectDelay(0, backoff, () => 0.5)).toBe(500);
    expect(reconnectDelay(3, backoff, () => 0.5)).toBe(4000);
    expect(reconnectDelay(20, backoff, () => 0.5)).toBe(30_000);
    expect(reconnectDelay(0, backoff, () => 0)).toBe(450);
    expect(reconnectDelay(0, backoff, () => 1)).toBe(550);
  });

  it('accepts only known message shapes', () => {
    expect(parseLiveMessage('{"type":"traces","timestamp":"t","payload":[]}')).toEqual({ type: 'traces', timestamp: 't', payload: [] });
    expect(parseLiveMessage('{"type":"traces","payload":[]}')).toBeNull();
    expect(parseLiveMessage('[1,2]')).toBeNull();
    expect(parseLiveMessage(42)).toBeNull();
  });
});
