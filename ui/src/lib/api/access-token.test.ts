// The stored access token and the 401 listener hub.
import { describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN_STORAGE_KEY, accessToken, clearAccessToken, onUnauthorized, reportUnauthorized, setAccessToken } from './access-token';

describe('access token', () => {
  it('is kept in localStorage under ai-observer.access-token and can be forgotten', () => {
    expect(accessToken()).toBeNull();
    setAccessToken('aio_abc');
    expect(localStorage.getItem(ACCESS_TOKEN_STORAGE_KEY)).toBe('aio_abc');
    expect(accessToken()).toBe('aio_abc');
    clearAccessToken();
    expect(accessToken()).toBeNull();
    localStorage.setItem(ACCESS_TOKEN_STORAGE_KEY, '');
    expect(accessToken()).toBeNull();
  });

  it('copes with storage that cannot be used', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new Error('SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new Error('QuotaExceededError');
    });
    vi.spyOn(Storage.prototype, 'removeItem').mockImplementation(() => {
      throw new Error('SecurityError');
    });
    expect(() => setAccessToken('aio_abc')).not.toThrow();
    expect(accessToken()).toBeNull();
    expect(() => clearAccessToken()).not.toThrow();
  });

  it('tells every unauthorized listener until it unsubscribes', () => {
    const first: string[] = [];
    const second: string[] = [];
    const stopFirst = onUnauthorized((message) => first.push(message));
    const stopSecond = onUnauthorized((message) => second.push(message));
    reportUnauthorized('missing token');
    stopFirst();
    reportUnauthorized('token revoked');
    stopSecond();
    reportUnauthorized('nobody hears this');
    expect(first).toEqual(['missing token']);
    expect(second).toEqual(['missing token', 'token revoked']);
  });
});
