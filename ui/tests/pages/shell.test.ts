// The application shell: every page has a nav link with a real href, and links route client-side.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../src/App.svelte';
import { useTransport } from '../../src/lib/api/client';
import { ApiError } from '../../src/lib/api/errors';
import { createMemoryTransport } from '../support/memory-transport';

describe('App shell', () => {
  it('renders the navigation and routes between pages through the History API', async () => {
    useTransport(
      createMemoryTransport({
        settings_get: () => {
          throw new ApiError('unavailable', 'engine starting', 503);
        },
        services_list: () => ({ services: [] }),
        logs_list: () => ({ logs: [], total: 0, hasMore: false }),
        setup_status: () => ({ ports: { api: 8080, otlpHttp: 4318, otlpGrpc: 4317 }, tools: [] }),
      }),
    );
    window.history.replaceState(null, '', '/setup');
    render(App);

    const expected = {
      overview: '/',
      dashboards: '/dashboards',
      metrics: '/metrics',
      logs: '/logs',
      traces: '/traces',
      sessions: '/sessions',
      import: '/import',
      data: '/data',
      setup: '/setup',
      settings: '/settings',
    };
    for (const [page, href] of Object.entries(expected)) {
      expect(screen.getByTestId(`nav-${page}`).getAttribute('href')).toBe(href);
    }
    expect(await screen.findByRole('heading', { level: 1, name: 'Setup' })).toBeTruthy();
    expect(screen.getByTestId('nav-setup').getAttribute('aria-current')).toBe('page');

    await fireEvent.click(screen.getByTestId('nav-logs'));
    expect(window.location.pathname).toBe('/logs');
    expect(await screen.findByRole('heading', { level: 1, name: 'Logs' })).toBeTruthy();
    await waitFor(() => expect(document.title).toBe('Logs · AI Observer'));

    window.history.pushState(null, '', '/nowhere');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
  });

  it('toggles and remembers the theme', async () => {
    useTransport(createMemoryTransport({ settings_get: () => { throw new ApiError('unavailable', 'x', 503); }, setup_status: () => ({ ports: { api: 1, otlpHttp: 2, otlpGrpc: 3 }, tools: [] }) }));
    window.history.replaceState(null, '', '/setup');
    render(App);
    const toggle = screen.getByTestId('theme-toggle');
    expect(toggle.textContent?.trim()).toBe('Theme: System');
    await fireEvent.click(toggle);
    expect(document.documentElement.dataset.theme).toBe('light');
    await fireEvent.click(toggle);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('ai-observer-theme')).toBe('dark');
    expect(toggle.textContent?.trim()).toBe('Theme: Dark');
  });
});
