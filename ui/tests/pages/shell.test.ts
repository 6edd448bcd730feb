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

  it('opens the navigation as a drawer from the Menu button and closes it with Escape, focus back on the button', async () => {
    useTransport(createMemoryTransport({ settings_get: () => { throw new ApiError('unavailable', 'x', 503); }, setup_status: () => ({ ports: { api: 1, otlpHttp: 2, otlpGrpc: 3 }, tools: [] }) }));
    window.history.replaceState(null, '', '/setup');
    render(App);
    const button = screen.getByTestId('menu-button');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(button.getAttribute('aria-controls')).toBe(nav.id);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(nav.classList.contains('open')).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('nav-overview')));
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(nav.classList.contains('open')).toBe(false);
    expect(document.activeElement).toBe(button);
    // choosing a page closes the drawer
    await fireEvent.click(button);
    await fireEvent.click(screen.getByTestId('nav-setup'));
    await waitFor(() => expect(nav.classList.contains('open')).toBe(false));
  });

  it('says Receiving only when telemetry arrived lately, else since when nothing came', async () => {
    const transport = createMemoryTransport({
      settings_get: () => { throw new ApiError('unavailable', 'x', 503); },
      setup_status: () => ({ ports: { api: 1, otlpHttp: 2, otlpGrpc: 3 }, tools: [{ tool: 'codex', lastOtlpEvent: '2026-11-28T13:47:42Z', otlpRecords: 3, lastImport: null, importedRecords: 0 }] }),
    });
    useTransport(transport);
    window.history.replaceState(null, '', '/setup');
    render(App);
    const status = screen.getByTestId('live-status');
    await waitFor(() => expect(status.textContent).toContain('Connected — nothing received since Nov 28, 2026'));
    expect(status.dataset.state).toBe('idle');
    transport.emit({ type: 'logs', timestamp: '', payload: [] });
    await waitFor(() => expect(status.textContent?.trim()).toBe('Receiving'));
    expect(status.dataset.state).toBe('receiving');
  });
});
