import { describe, expect, it } from 'vitest';
import { isAppOrigin } from './client';

describe('isAppOrigin', () => {
  it('is the desktop app’s own page, not a team server’s page opened in a desktop window', () => {
    expect(isAppOrigin({ protocol: 'tauri:', hostname: 'localhost' }, false)).toBe(true);
    expect(isAppOrigin({ protocol: 'http:', hostname: 'tauri.localhost' }, false)).toBe(true);
    expect(isAppOrigin({ protocol: 'https:', hostname: 'tauri.localhost' }, false)).toBe(true);
    expect(isAppOrigin({ protocol: 'https:', hostname: 'observer.example.com' }, false)).toBe(false);
    expect(isAppOrigin({ protocol: 'http:', hostname: '127.0.0.1' }, false)).toBe(false);
    expect(isAppOrigin({ protocol: 'http:', hostname: 'localhost' }, true)).toBe(true);
  });
});
