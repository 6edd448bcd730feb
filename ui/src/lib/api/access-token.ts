// The access token this browser sends to a team's AI Observer server (its admin token, or a
// read-only machine token from `ai-observer tokens add NAME`), kept per origin in localStorage,
// and a small hub the HTTP transport tells when the server answers 401 so the shell can ask for
// one. On loopback nothing is stored and nothing is sent; the desktop app never uses either.

export const ACCESS_TOKEN_STORAGE_KEY = 'ai-observer.access-token';

/** The stored token, or null when there is none (or storage cannot be read). */
export function accessToken(): string | null {
  try {
    const stored = globalThis.localStorage?.getItem(ACCESS_TOKEN_STORAGE_KEY) ?? null;
    return stored !== null && stored.length > 0 ? stored : null;
  } catch {
    return null;
  }
}

export function setAccessToken(token: string): void {
  try {
    globalThis.localStorage?.setItem(ACCESS_TOKEN_STORAGE_KEY, token);
  } catch {
    // storage unavailable (private mode, blocked): the token cannot be kept
  }
}

export function clearAccessToken(): void {
  try {
    globalThis.localStorage?.removeItem(ACCESS_TOKEN_STORAGE_KEY);
  } catch {
    // nothing stored that could be read either
  }
}

type UnauthorizedListener = (message: string) => void;

const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called with the server's message whenever an API request is answered 401; returns the unsubscribe. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => {
    unauthorizedListeners.delete(listener);
  };
}

export function reportUnauthorized(message: string): void {
  for (const listener of [...unauthorizedListeners]) listener(message);
}
