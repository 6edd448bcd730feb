// The typed client: one `api` object with a method per operation, over whichever transport fits
// where the UI runs — Tauri IPC inside the desktop window, HTTP + `/ws` in a browser.
// Features call `api.*` only; nothing else in the UI knows how requests travel. The operation names,
// routes and request/response types come from the engine's generated table (operations.gen.ts).
import { createHttpTransport } from './http';
import { OPERATIONS, type OperationName, type Operations } from './operations.gen';
import type { CallOptions, ConnectionListener, LiveListener, Transport } from './transport';

export type RequestOf<K extends OperationName> = Operations[K]['request'];
export type ResponseOf<K extends OperationName> = Operations[K]['response'];

let activeTransport: Transport | null = null;

/** Browser base URL: the page's own origin, or VITE_API_BASE when the dev server runs elsewhere. */
export function httpBaseUrl(): string {
  const configured = import.meta.env.VITE_API_BASE;
  if (configured && configured.length > 0) return configured;
  return window.location.origin;
}

/**
 * The desktop app's own page: Tauri's IPC is there and the page is the app's (its custom protocol,
 * or the dev server). A team server's page opened in a desktop window sees Tauri's scripts too, but
 * may not call the app's commands: it talks HTTP to its own server.
 */
export function isTauri(): boolean {
  if (typeof window === 'undefined' || !('__TAURI_INTERNALS__' in window)) return false;
  return isAppOrigin(window.location, import.meta.env.DEV);
}

/** Whether `location` is the desktop app's own origin: `tauri://localhost`, `http(s)://tauri.localhost`, or the dev server in development. */
export function isAppOrigin(location: Pick<Location, 'protocol' | 'hostname'>, development: boolean): boolean {
  return location.protocol === 'tauri:' || location.hostname === 'tauri.localhost' || development;
}

/** Defers loading @tauri-apps/api until the first call so browsers never download it. */
function lazyTauriTransport(): Transport {
  const ready = import('./tauri').then((module) => module.createTauriTransport());
  return {
    async call<Req, Res>(op: OperationName, request: Req, options?: CallOptions) {
      return (await ready).call<Req, Res>(op, request, options);
    },
    subscribe(listener) {
      let stop: (() => void) | null = null;
      let cancelled = false;
      void ready.then((transport) => {
        if (!cancelled) stop = transport.subscribe(listener);
      });
      return () => {
        cancelled = true;
        stop?.();
      };
    },
    onConnectionChange(listener) {
      listener(true);
      return () => {};
    },
  };
}

function transport(): Transport {
  if (activeTransport === null) {
    activeTransport = isTauri() ? lazyTauriTransport() : createHttpTransport({ baseUrl: httpBaseUrl() });
  }
  return activeTransport;
}

/** Replaces the transport (tests, or a future settings switch); returns the previous one. */
export function useTransport(next: Transport | null): Transport | null {
  const previous = activeTransport;
  activeTransport = next;
  return previous;
}

// `{} extends Request` asks whether an empty request is a valid one (every field optional), not
// what `{}` as a type would accept, which is what the rule below warns about.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Method<K extends OperationName> = {} extends RequestOf<K>
  ? (request?: RequestOf<K>, options?: CallOptions) => Promise<ResponseOf<K>>
  : (request: RequestOf<K>, options?: CallOptions) => Promise<ResponseOf<K>>;

function operation<K extends OperationName>(op: K): Method<K> {
  const noContent = OPERATIONS[op].status === 204;
  const method = async (request?: RequestOf<K>, options?: CallOptions) => {
    const response = await transport().call<RequestOf<K>, ResponseOf<K>>(op, (request ?? {}), options);
    // A 204 answer has no body; its generated type is the empty object `NoContent`.
    return (noContent && (response === undefined || response === null) ? {} : response) as ResponseOf<K>;
  };
  return method;
}

export const api = {
  traces: {
    list: operation('traces_list'),
    recent: operation('traces_recent'),
    spans: operation('trace_spans'),
  },
  metrics: {
    list: operation('metrics_list'),
    names: operation('metric_names'),
    breakdownValues: operation('metric_breakdown_values'),
    series: operation('metric_series'),
    batchSeries: operation('metric_batch_series'),
  },
  logs: {
    list: operation('logs_list'),
    levels: operation('log_levels'),
  },
  sessions: {
    list: operation('sessions_list'),
    transcript: operation('session_transcript'),
  },
  services: { list: operation('services_list') },
  stats: { get: operation('stats') },
  dashboards: {
    list: operation('dashboards_list'),
    create: operation('dashboard_create'),
    getDefault: operation('dashboard_default'),
    get: operation('dashboard_get'),
    update: operation('dashboard_update'),
    delete: operation('dashboard_delete'),
    setDefault: operation('dashboard_set_default'),
  },
  widgets: {
    create: operation('widget_create'),
    positions: operation('widget_positions'),
    update: operation('widget_update'),
    delete: operation('widget_delete'),
  },
  spend: {
    query: operation('spend'),
    summary: operation('spend_summary'),
  },
  budget: { get: operation('budget') },
  blocks: { list: operation('blocks') },
  limits: {
    latest: operation('limits_latest'),
    history: operation('limits_history'),
    statusline: operation('limits_statusline'),
  },
  settings: {
    get: operation('settings_get'),
    update: operation('settings_update'),
  },
  setup: { status: operation('setup_status') },
  sql: {
    schema: operation('sql_schema'),
    run: operation('sql_run'),
  },
  prices: {
    get: operation('prices'),
    check: operation('prices_check'),
    recompute: operation('prices_recompute'),
  },
  import: {
    scan: operation('import_scan'),
    start: operation('import_start'),
    job: operation('import_job'),
    cancel: operation('import_cancel'),
  },
  forwarding: {
    status: operation('forwarding_status'),
    update: operation('forwarding_update'),
  },
  tokens: {
    list: operation('tokens_list'),
    add: operation('tokens_add'),
    revoke: operation('tokens_revoke'),
  },
  data: {
    export: operation('export_data'),
    exportObjectStorage: operation('export_object_storage'),
    deletePreview: operation('delete_preview'),
    delete: operation('delete_data'),
  },
  /** The desktop app's own operations (method DESKTOP); over HTTP they fail with `unsupported`. */
  desktop: {
    pickFolder: operation('pick_folder'),
    toolConfigPreview: operation('tool_config_preview'),
    toolConfigApply: operation('tool_config_apply'),
    launchAtLoginGet: operation('launch_at_login_get'),
    launchAtLoginSet: operation('launch_at_login_set'),
    receivingSetPaused: operation('receiving_set_paused'),
    updatesCheck: operation('updates_check'),
    teamDashboardGet: operation('team_dashboard_get'),
    teamDashboardOpen: operation('team_dashboard_open'),
  },
  live: {
    subscribe: (listener: LiveListener): (() => void) => transport().subscribe(listener),
    onConnectionChange: (listener: ConnectionListener): (() => void) => {
      const current = transport();
      if (current.onConnectionChange) return current.onConnectionChange(listener);
      listener(true);
      return () => {};
    },
  },
};

export type Api = typeof api;
export { ApiError } from './errors';
export type { ApiErrorCode } from './errors';
export type { LiveMessage, LiveMessageType } from './live-types';
