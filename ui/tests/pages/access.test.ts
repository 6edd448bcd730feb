// Signing in to a team's server: the shell shows the sign-in panel when the API answers 401 (the
// real HTTP transport over a stub fetch), a refused saved token is said and forgotten, the panel
// keeps the trimmed token and reloads, and Sign out forgets it.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/App.svelte';
import { accessToken, reportUnauthorized, setAccessToken } from '../../src/lib/api/access-token';
import { useTransport } from '../../src/lib/api/client';
import { ApiError } from '../../src/lib/api/errors';
import { createHttpTransport } from '../../src/lib/api/http';
import type { WebSocketConstructor } from '../../src/lib/api/live-socket';
import SignIn from '../../src/lib/features/access/SignIn.svelte';
import { AccessGate } from '../../src/lib/features/access/access-state.svelte';
import { createMemoryTransport } from '../support/memory-transport';

let reload: ReturnType<typeof vi.fn>;

beforeEach(() => {
  reload = vi.fn();
  // jsdom's location.reload cannot be replaced; the global `location` can, by one that reads the real one
  const real = window.location;
  const stub: Record<string, unknown> = { reload, assign: (url: string) => real.assign(url), replace: (url: string) => real.replace(url), toString: () => real.href };
  for (const key of ['href', 'origin', 'protocol', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const) {
    Object.defineProperty(stub, key, { get: () => real[key], enumerable: true });
  }
  vi.stubGlobal('location', stub);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The browser transport against a server that wants a token: every request is answered 401 unless `accepts` says yes. */
function tokenServer(accepts: (authorization: string | null) => boolean) {
  const authorizations: (string | null)[] = [];
  const sockets: unknown[][] = [];
  const fetchImpl = ((_url: string, init?: RequestInit): Promise<Response> => {
    const authorization = new Headers(init?.headers).get('Authorization');
    authorizations.push(authorization);
    if (!accepts(authorization)) {
      return Promise.resolve(new Response(JSON.stringify({ code: 'unauthorized', error: 'a token is required', message: 'a token is required' }), { status: 401 }));
    }
    return Promise.resolve(new Response(JSON.stringify({ ports: { api: 1, otlpHttp: 2, otlpGrpc: 3 }, tools: [] }), { status: 200 }));
  }) as typeof fetch;
  class FakeSocket {
    onopen: (() => void) | null = null;
    onclose: (() => void) | null = null;
    onmessage: (() => void) | null = null;
    onerror: (() => void) | null = null;
    constructor(...args: unknown[]) {
      sockets.push(args);
    }
    close(): void {}
  }
  useTransport(createHttpTransport({ baseUrl: 'http://observer.test', fetchImpl, WebSocketImpl: FakeSocket as unknown as WebSocketConstructor }));
  return { authorizations, sockets };
}

describe('sign-in to a team server', () => {
  it('shows nothing of it where the API answers without a token (loopback)', async () => {
    const server = tokenServer(() => true);
    window.history.replaceState(null, '', '/setup');
    render(App);
    await waitFor(() => expect(server.authorizations.length).toBeGreaterThan(0));
    expect(server.authorizations.every((authorization) => authorization === null)).toBe(true);
    expect(server.sockets).toEqual([['ws://observer.test/ws']]);
    expect(screen.queryByTestId('sign-in')).toBeNull();
    expect(screen.queryByTestId('sign-out')).toBeNull();
  });

  it('asks for a token when the server answers 401', async () => {
    tokenServer(() => false);
    window.history.replaceState(null, '', '/setup');
    render(App);
    const panel = await screen.findByTestId('sign-in');
    expect(panel.textContent).toContain('Sign in to this AI Observer server');
    expect(panel.textContent).toContain('AI_OBSERVER_TOKEN');
    expect(panel.textContent).toContain('ai-observer tokens add NAME');
    expect(screen.getByTestId('sign-in-message').textContent).toContain('a token is required');
    expect(screen.queryByTestId('sign-in-refused')).toBeNull();
    const input = screen.getByTestId<HTMLInputElement>('sign-in-token');
    expect(input.type).toBe('password');
    expect(input.autocomplete).toBe('off');
    expect(screen.getByLabelText('Token')).toBe(input);
    // the page, whose every request would be refused too, gives way to the panel
    expect(screen.queryByRole('heading', { level: 1, name: 'Setup' })).toBeNull();
  });

  it('sends the saved token, and says and forgets it when the server refuses it', async () => {
    setAccessToken('aio_revoked');
    const server = tokenServer((authorization) => authorization === 'Bearer aio_good');
    window.history.replaceState(null, '', '/setup');
    render(App);
    expect(screen.getByTestId('sign-out')).toBeTruthy();
    await screen.findByTestId('sign-in');
    expect(server.authorizations[0]).toBe('Bearer aio_revoked');
    expect(server.sockets[0]).toEqual(['ws://observer.test/ws', ['ai-observer', 'bearer.aio_revoked']]);
    expect(screen.getByTestId('sign-in-refused').textContent).toContain('The saved token was refused (wrong or revoked)');
    expect(accessToken()).toBeNull();
    // refusals of requests that were already on their way do not take the message back
    await waitFor(() => expect(server.authorizations.length).toBeGreaterThan(1));
    expect(screen.getByTestId('sign-in-refused')).toBeTruthy();
    expect(screen.queryByTestId('sign-out')).toBeNull();
  });

  it('keeps the saved token while the server accepts it, and Sign out forgets it and reloads', async () => {
    setAccessToken('aio_good');
    const server = tokenServer((authorization) => authorization === 'Bearer aio_good');
    window.history.replaceState(null, '', '/setup');
    render(App);
    await waitFor(() => expect(server.authorizations.length).toBeGreaterThan(0));
    expect(screen.queryByTestId('sign-in')).toBeNull();
    await fireEvent.click(screen.getByTestId('sign-out'));
    expect(accessToken()).toBeNull();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not show the panel in the desktop app, whose transport never reports 401', async () => {
    useTransport(createMemoryTransport({ settings_get: () => { throw new ApiError('unavailable', 'x', 503); }, setup_status: () => ({ ports: { api: 1, otlpHttp: 2, otlpGrpc: 3 }, tools: [] }) }));
    window.history.replaceState(null, '', '/setup');
    render(App);
    expect(await screen.findByRole('heading', { level: 1, name: 'Setup' })).toBeTruthy();
    expect(screen.queryByTestId('sign-in')).toBeNull();
  });
});

describe('SignIn panel', () => {
  it('keeps the trimmed token and reloads the page', async () => {
    render(SignIn, { refused: false, message: '' });
    await fireEvent.input(screen.getByTestId('sign-in-token'), { target: { value: '  aio_0123abcd \n' } });
    await fireEvent.click(screen.getByTestId('sign-in-submit'));
    expect(accessToken()).toBe('aio_0123abcd');
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('refuses an empty token (or one with spaces inside) and stores nothing', async () => {
    render(SignIn, { refused: false, message: '' });
    const input = screen.getByTestId('sign-in-token');
    await fireEvent.input(input, { target: { value: '   ' } });
    await fireEvent.click(screen.getByTestId('sign-in-submit'));
    expect(screen.getByTestId('sign-in-problem').textContent).toBe('Enter a token.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(input, { target: { value: 'aio_ab cd' } });
    await fireEvent.click(screen.getByTestId('sign-in-submit'));
    expect(screen.getByTestId('sign-in-problem').textContent).toContain('no spaces');
    expect(accessToken()).toBeNull();
    expect(reload).not.toHaveBeenCalled();
  });

  it('says the saved token was refused when a stored token got a 401, and forgets it', () => {
    const gate = new AccessGate();
    const stop = gate.watch();
    setAccessToken('aio_old');
    reportUnauthorized('this token was revoked');
    // a request sent after the token was forgotten: still "refused", still the revocation's message
    reportUnauthorized('a token is required');
    stop();
    expect(gate).toMatchObject({ needed: true, refused: true, message: 'this token was revoked', signedIn: false });
    expect(accessToken()).toBeNull();
    render(SignIn, { refused: gate.refused, message: gate.message });
    expect(screen.getByTestId('sign-in-refused').textContent).toContain('The saved token was refused (wrong or revoked)');
    expect(screen.getByTestId('sign-in-message').textContent).toContain('this token was revoked');
  });
});
