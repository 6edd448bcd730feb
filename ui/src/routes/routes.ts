// The page table: URL pattern -> lazily loaded page component, plus the navigation entries.
// Each page is its own chunk, so the first paint only loads the shell and the page it needs.
import type { Component } from 'svelte';

export type PageKey =
  | 'overview'
  | 'limits'
  | 'dashboards'
  | 'metrics'
  | 'logs'
  | 'traces'
  | 'sessions'
  | 'import'
  | 'data'
  | 'sql'
  | 'team'
  | 'setup'
  | 'settings';

// `any`: pages differ in props (route params or none), and a page without props is a
// Component<Record<string, never>>, which no single props type would accept
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type PageModule = { default: Component<any> };

export type RouteDef = { pattern: string; page: PageKey; title: string; load: () => Promise<PageModule> };

export const ROUTES: readonly RouteDef[] = [
  { pattern: '/', page: 'overview', title: 'Overview', load: () => import('./OverviewPage.svelte') },
  { pattern: '/limits', page: 'limits', title: 'Plan limits', load: () => import('./LimitsPage.svelte') },
  { pattern: '/dashboards', page: 'dashboards', title: 'Dashboards', load: () => import('./DashboardsPage.svelte') },
  { pattern: '/dashboards/:id', page: 'dashboards', title: 'Dashboard', load: () => import('./DashboardsPage.svelte') },
  { pattern: '/metrics', page: 'metrics', title: 'Metrics', load: () => import('./MetricsPage.svelte') },
  { pattern: '/logs', page: 'logs', title: 'Logs', load: () => import('./LogsPage.svelte') },
  { pattern: '/traces', page: 'traces', title: 'Traces', load: () => import('./TracesPage.svelte') },
  { pattern: '/traces/:kind/:id', page: 'traces', title: 'Trace', load: () => import('./TraceDetailPage.svelte') },
  { pattern: '/sessions', page: 'sessions', title: 'Sessions', load: () => import('./SessionsPage.svelte') },
  { pattern: '/sessions/:sessionId', page: 'sessions', title: 'Transcript', load: () => import('./TranscriptPage.svelte') },
  { pattern: '/import', page: 'import', title: 'Import', load: () => import('./ImportPage.svelte') },
  { pattern: '/data', page: 'data', title: 'Data', load: () => import('./DataPage.svelte') },
  { pattern: '/sql', page: 'sql', title: 'SQL', load: () => import('./SqlPage.svelte') },
  { pattern: '/team', page: 'team', title: 'Team', load: () => import('./TeamPage.svelte') },
  { pattern: '/setup', page: 'setup', title: 'Setup', load: () => import('./SetupPage.svelte') },
  { pattern: '/settings', page: 'settings', title: 'Settings', load: () => import('./SettingsPage.svelte') },
];

export const NOT_FOUND: RouteDef = { pattern: '*', page: 'overview', title: 'Not found', load: () => import('./NotFoundPage.svelte') };

export type NavEntry = { page: PageKey; label: string; href: string };

export const NAV: readonly NavEntry[] = [
  { page: 'overview', label: 'Overview', href: '/' },
  { page: 'limits', label: 'Limits', href: '/limits' },
  { page: 'dashboards', label: 'Dashboards', href: '/dashboards' },
  { page: 'metrics', label: 'Metrics', href: '/metrics' },
  { page: 'logs', label: 'Logs', href: '/logs' },
  { page: 'traces', label: 'Traces', href: '/traces' },
  { page: 'sessions', label: 'Sessions', href: '/sessions' },
  { page: 'import', label: 'Import', href: '/import' },
  { page: 'data', label: 'Data', href: '/data' },
  { page: 'sql', label: 'SQL', href: '/sql' },
  { page: 'team', label: 'Team', href: '/team' },
  { page: 'setup', label: 'Setup', href: '/setup' },
  { page: 'settings', label: 'Settings', href: '/settings' },
];
