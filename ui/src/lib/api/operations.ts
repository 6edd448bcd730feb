// The one list of backend operations: name (also the Tauri command name) -> HTTP method and path,
// plus the request/response type of each. Both transports and the typed client read this table,
// so an operation cannot exist for one transport and not the other. It may later be generated from Rust.
import type * as T from './types.gen';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type OperationRoute = { readonly method: HttpMethod; readonly path: string };

export const OPERATIONS = {
  traces_list: { method: 'GET', path: '/api/traces' },
  traces_recent: { method: 'GET', path: '/api/traces/recent' },
  trace_spans: { method: 'GET', path: '/api/traces/{traceId}' },
  metrics_list: { method: 'GET', path: '/api/metrics' },
  metric_names: { method: 'GET', path: '/api/metrics/names' },
  metric_breakdown_values: { method: 'GET', path: '/api/metrics/breakdown-values' },
  metric_series: { method: 'GET', path: '/api/metrics/series' },
  metric_batch_series: { method: 'POST', path: '/api/metrics/batch-series' },
  logs_list: { method: 'GET', path: '/api/logs' },
  log_levels: { method: 'GET', path: '/api/logs/levels' },
  sessions_list: { method: 'GET', path: '/api/sessions' },
  session_transcript: { method: 'GET', path: '/api/sessions/{sessionId}/transcript' },
  services_list: { method: 'GET', path: '/api/services' },
  stats: { method: 'GET', path: '/api/stats' },
  dashboards_list: { method: 'GET', path: '/api/dashboards' },
  dashboard_create: { method: 'POST', path: '/api/dashboards' },
  dashboard_default: { method: 'GET', path: '/api/dashboards/default' },
  dashboard_get: { method: 'GET', path: '/api/dashboards/{id}' },
  dashboard_update: { method: 'PUT', path: '/api/dashboards/{id}' },
  dashboard_delete: { method: 'DELETE', path: '/api/dashboards/{id}' },
  dashboard_set_default: { method: 'PUT', path: '/api/dashboards/{id}/default' },
  widget_create: { method: 'POST', path: '/api/dashboards/{id}/widgets' },
  widget_positions: { method: 'PUT', path: '/api/dashboards/{id}/widgets/positions' },
  widget_update: { method: 'PUT', path: '/api/dashboards/{id}/widgets/{widgetId}' },
  widget_delete: { method: 'DELETE', path: '/api/dashboards/{id}/widgets/{widgetId}' },
  spend: { method: 'GET', path: '/api/spend' },
  spend_summary: { method: 'GET', path: '/api/spend/summary' },
  budget: { method: 'GET', path: '/api/budget' },
  blocks: { method: 'GET', path: '/api/blocks' },
  settings_get: { method: 'GET', path: '/api/settings' },
  settings_update: { method: 'PUT', path: '/api/settings' },
  setup_status: { method: 'GET', path: '/api/setup/status' },
  prices: { method: 'GET', path: '/api/prices' },
  import_scan: { method: 'POST', path: '/api/import/scan' },
  import_start: { method: 'POST', path: '/api/import/start' },
  import_job: { method: 'GET', path: '/api/import/jobs/{jobId}' },
  import_cancel: { method: 'POST', path: '/api/import/jobs/{jobId}/cancel' },
  export_data: { method: 'POST', path: '/api/export' },
  delete_preview: { method: 'POST', path: '/api/delete/preview' },
  delete_data: { method: 'POST', path: '/api/delete' },
} as const satisfies Record<string, OperationRoute>;

export type OperationName = keyof typeof OPERATIONS;

type Op<Req, Res> = { request: Req; response: Res };

/** Request and response type of every operation; `void` marks a 204 No Content answer. */
export type OperationTypes = {
  traces_list: Op<T.TracesListRequest, T.TracesListResponse>;
  traces_recent: Op<T.TracesRecentRequest, T.TracesListResponse>;
  trace_spans: Op<T.TraceSpansRequest, T.TraceSpansResponse>;
  metrics_list: Op<T.MetricsListRequest, T.MetricsListResponse>;
  metric_names: Op<T.MetricNamesRequest, T.MetricNamesResponse>;
  metric_breakdown_values: Op<T.MetricBreakdownValuesRequest, T.MetricBreakdownValuesResponse>;
  metric_series: Op<T.MetricSeriesRequest, T.MetricSeriesResponse>;
  metric_batch_series: Op<T.MetricBatchSeriesRequest, T.MetricBatchSeriesResponse>;
  logs_list: Op<T.LogsListRequest, T.LogsListResponse>;
  log_levels: Op<T.LogLevelsRequest, T.LogLevelsResponse>;
  sessions_list: Op<T.SessionsListRequest, T.SessionsListResponse>;
  session_transcript: Op<T.SessionTranscriptRequest, T.TranscriptResponse>;
  services_list: Op<T.EmptyRequest, T.ServicesListResponse>;
  stats: Op<T.EmptyRequest, T.Stats>;
  dashboards_list: Op<T.EmptyRequest, T.DashboardsListResponse>;
  dashboard_create: Op<T.DashboardCreateRequest, T.Dashboard>;
  dashboard_default: Op<T.EmptyRequest, T.DashboardWithWidgets>;
  dashboard_get: Op<T.DashboardGetRequest, T.DashboardWithWidgets>;
  dashboard_update: Op<T.DashboardUpdateRequest, T.Dashboard>;
  dashboard_delete: Op<T.DashboardDeleteRequest, void>;
  dashboard_set_default: Op<T.DashboardSetDefaultRequest, T.StatusResponse>;
  widget_create: Op<T.WidgetCreateRequest, T.DashboardWidget>;
  widget_positions: Op<T.WidgetPositionsRequest, T.StatusResponse>;
  widget_update: Op<T.WidgetUpdateRequest, T.DashboardWidget>;
  widget_delete: Op<T.WidgetDeleteRequest, void>;
  spend: Op<T.SpendRequest, T.SpendResponse>;
  spend_summary: Op<T.SpendSummaryRequest, T.SpendSummary>;
  budget: Op<T.BudgetRequest, T.BudgetResponse>;
  blocks: Op<T.BlocksRequest, T.BlocksResponse>;
  settings_get: Op<T.EmptyRequest, T.Settings>;
  settings_update: Op<T.SettingsUpdateRequest, T.Settings>;
  setup_status: Op<T.EmptyRequest, T.SetupStatusResponse>;
  prices: Op<T.EmptyRequest, T.PriceTableResponse>;
  import_scan: Op<T.ImportScanRequest, T.ScanResponse>;
  import_start: Op<T.ImportStartRequest, T.ImportStartResponse>;
  import_job: Op<T.ImportJobRequest, T.ImportJob>;
  import_cancel: Op<T.ImportCancelRequest, T.ImportJob>;
  export_data: Op<T.ExportDataRequest, T.ExportResult>;
  delete_preview: Op<T.DeletePreviewRequest, T.DeleteCounts>;
  delete_data: Op<T.DeleteDataRequest, T.DeleteCounts>;
};

export type RequestOf<K extends OperationName> = OperationTypes[K]['request'];
export type ResponseOf<K extends OperationName> = OperationTypes[K]['response'];

// Compile-time guard: the route table and the type table name the same operations.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const tablesAgree: SameKeys<typeof OPERATIONS, OperationTypes> = true;
void tablesAgree;
