// Generated from the engine's operation table (crates/engine/src/operations/mod.rs) by its tests. Do not edit.

import type { ApiToken, AppliedConfig, BatchSeriesRequest, BatchSeriesResponse, BlocksRequest, BlocksResponse, BreakdownValuesRequest, BreakdownValuesResponse, BudgetRequest, BudgetResponse, ConfigPlan, Dashboard, DashboardCreateRequest, DashboardIdRequest, DashboardUpdateRequest, DashboardWidget, DashboardWithWidgets, DashboardsListResponse, DeleteCounts, DeleteRequest, EmptyRequest, ExportRequest, ExportResult, ForwardingStatus, ForwardingUpdate, ImportJob, ImportJobRequest, ImportScanRequest, ImportStartRequest, ImportStartResponse, LaunchAtLogin, LimitsHistoryRequest, LimitsResponse, LogLevelsRequest, LogsListRequest, LogsListResponse, MetricNamesRequest, MetricNamesResponse, MetricsListRequest, MetricsListResponse, NewToken, NoContent, ObjectExportRequest, ObjectExportResult, PickFolderRequest, PickedFolder, PriceCheck, PricesResponse, Receiving, RecomputeOutcome, RecomputeRequest, ScanResponse, SeriesRequest, SeriesResponse, ServicesResponse, SessionsListRequest, SessionsListResponse, Settings, SettingsUpdate, SetupStatus, SpendRequest, SpendResponse, SpendSummary, SpendSummaryRequest, SqlRequest, SqlResult, SqlSchema, Stats, StatusResponse, StatuslineAnswer, StatuslineReport, TeamDashboard, TokenList, TokenNameRequest, ToolConfigRequest, TraceSpansRequest, TraceSpansResponse, TracesListRequest, TracesListResponse, TracesRecentRequest, TranscriptRequest, TranscriptResponse, UpdateCheck, WidgetCreateRequest, WidgetIdRequest, WidgetPositionsRequest, WidgetUpdateRequest } from "./types.gen";

export const OPERATIONS = {
  traces_list: { method: "GET", path: "/api/traces", status: 200 },
  traces_recent: { method: "GET", path: "/api/traces/recent", status: 200 },
  trace_spans: { method: "GET", path: "/api/traces/{traceId}", status: 200 },
  metrics_list: { method: "GET", path: "/api/metrics", status: 200 },
  metric_names: { method: "GET", path: "/api/metrics/names", status: 200 },
  metric_breakdown_values: { method: "GET", path: "/api/metrics/breakdown-values", status: 200 },
  metric_series: { method: "GET", path: "/api/metrics/series", status: 200 },
  metric_batch_series: { method: "POST", path: "/api/metrics/batch-series", status: 200 },
  logs_list: { method: "GET", path: "/api/logs", status: 200 },
  log_levels: { method: "GET", path: "/api/logs/levels", status: 200 },
  sessions_list: { method: "GET", path: "/api/sessions", status: 200 },
  session_transcript: { method: "GET", path: "/api/sessions/{sessionId}/transcript", status: 200 },
  services_list: { method: "GET", path: "/api/services", status: 200 },
  stats: { method: "GET", path: "/api/stats", status: 200 },
  dashboards_list: { method: "GET", path: "/api/dashboards", status: 200 },
  dashboard_create: { method: "POST", path: "/api/dashboards", status: 201 },
  dashboard_default: { method: "GET", path: "/api/dashboards/default", status: 200 },
  dashboard_get: { method: "GET", path: "/api/dashboards/{id}", status: 200 },
  dashboard_update: { method: "PUT", path: "/api/dashboards/{id}", status: 200 },
  dashboard_delete: { method: "DELETE", path: "/api/dashboards/{id}", status: 204 },
  dashboard_set_default: { method: "PUT", path: "/api/dashboards/{id}/default", status: 200 },
  widget_create: { method: "POST", path: "/api/dashboards/{id}/widgets", status: 201 },
  widget_positions: { method: "PUT", path: "/api/dashboards/{id}/widgets/positions", status: 200 },
  widget_update: { method: "PUT", path: "/api/dashboards/{id}/widgets/{widgetId}", status: 200 },
  widget_delete: { method: "DELETE", path: "/api/dashboards/{id}/widgets/{widgetId}", status: 204 },
  spend: { method: "GET", path: "/api/spend", status: 200 },
  spend_summary: { method: "GET", path: "/api/spend/summary", status: 200 },
  budget: { method: "GET", path: "/api/budget", status: 200 },
  blocks: { method: "GET", path: "/api/blocks", status: 200 },
  limits_latest: { method: "GET", path: "/api/limits", status: 200 },
  limits_history: { method: "GET", path: "/api/limits/history", status: 200 },
  limits_statusline: { method: "POST", path: "/api/limits/statusline", status: 200 },
  settings_get: { method: "GET", path: "/api/settings", status: 200 },
  settings_update: { method: "PUT", path: "/api/settings", status: 200 },
  setup_status: { method: "GET", path: "/api/setup/status", status: 200 },
  sql_schema: { method: "GET", path: "/api/sql/schema", status: 200 },
  sql_run: { method: "POST", path: "/api/sql", status: 200 },
  prices: { method: "GET", path: "/api/prices", status: 200 },
  prices_check: { method: "GET", path: "/api/prices/check", status: 200 },
  prices_recompute: { method: "POST", path: "/api/prices/recompute", status: 200 },
  import_scan: { method: "POST", path: "/api/import/scan", status: 200 },
  import_start: { method: "POST", path: "/api/import/start", status: 202 },
  import_job: { method: "GET", path: "/api/import/jobs/{jobId}", status: 200 },
  import_cancel: { method: "POST", path: "/api/import/jobs/{jobId}/cancel", status: 200 },
  export_data: { method: "POST", path: "/api/export", status: 200 },
  export_object_storage: { method: "POST", path: "/api/export/object-storage", status: 200 },
  delete_preview: { method: "POST", path: "/api/delete/preview", status: 200 },
  delete_data: { method: "POST", path: "/api/delete", status: 200 },
  tokens_list: { method: "GET", path: "/api/tokens", status: 200 },
  tokens_add: { method: "POST", path: "/api/tokens", status: 201 },
  forwarding_status: { method: "GET", path: "/api/forwarding", status: 200 },
  forwarding_update: { method: "PUT", path: "/api/forwarding", status: 200 },
  tokens_revoke: { method: "DELETE", path: "/api/tokens/{name}", status: 200 },
  pick_folder: { method: "DESKTOP", path: "", status: 200 },
  tool_config_preview: { method: "DESKTOP", path: "", status: 200 },
  tool_config_apply: { method: "DESKTOP", path: "", status: 200 },
  launch_at_login_get: { method: "DESKTOP", path: "", status: 200 },
  launch_at_login_set: { method: "DESKTOP", path: "", status: 200 },
  receiving_set_paused: { method: "DESKTOP", path: "", status: 200 },
  updates_check: { method: "DESKTOP", path: "", status: 200 },
  team_dashboard_get: { method: "DESKTOP", path: "", status: 200 },
  team_dashboard_open: { method: "DESKTOP", path: "", status: 200 },
} as const;

export type OperationName = keyof typeof OPERATIONS;

export type Operations = {
  traces_list: { request: TracesListRequest; response: TracesListResponse };
  traces_recent: { request: TracesRecentRequest; response: TracesListResponse };
  trace_spans: { request: TraceSpansRequest; response: TraceSpansResponse };
  metrics_list: { request: MetricsListRequest; response: MetricsListResponse };
  metric_names: { request: MetricNamesRequest; response: MetricNamesResponse };
  metric_breakdown_values: { request: BreakdownValuesRequest; response: BreakdownValuesResponse };
  metric_series: { request: SeriesRequest; response: SeriesResponse };
  metric_batch_series: { request: BatchSeriesRequest; response: BatchSeriesResponse };
  logs_list: { request: LogsListRequest; response: LogsListResponse };
  log_levels: { request: LogLevelsRequest; response: Record<string, number> };
  sessions_list: { request: SessionsListRequest; response: SessionsListResponse };
  session_transcript: { request: TranscriptRequest; response: TranscriptResponse };
  services_list: { request: EmptyRequest; response: ServicesResponse };
  stats: { request: EmptyRequest; response: Stats };
  dashboards_list: { request: EmptyRequest; response: DashboardsListResponse };
  dashboard_create: { request: DashboardCreateRequest; response: Dashboard };
  dashboard_default: { request: EmptyRequest; response: DashboardWithWidgets };
  dashboard_get: { request: DashboardIdRequest; response: DashboardWithWidgets };
  dashboard_update: { request: DashboardUpdateRequest; response: Dashboard };
  dashboard_delete: { request: DashboardIdRequest; response: NoContent };
  dashboard_set_default: { request: DashboardIdRequest; response: StatusResponse };
  widget_create: { request: WidgetCreateRequest; response: DashboardWidget };
  widget_positions: { request: WidgetPositionsRequest; response: StatusResponse };
  widget_update: { request: WidgetUpdateRequest; response: DashboardWidget };
  widget_delete: { request: WidgetIdRequest; response: NoContent };
  spend: { request: SpendRequest; response: SpendResponse };
  spend_summary: { request: SpendSummaryRequest; response: SpendSummary };
  budget: { request: BudgetRequest; response: BudgetResponse };
  blocks: { request: BlocksRequest; response: BlocksResponse };
  limits_latest: { request: EmptyRequest; response: LimitsResponse };
  limits_history: { request: LimitsHistoryRequest; response: LimitsResponse };
  limits_statusline: { request: StatuslineReport; response: StatuslineAnswer };
  settings_get: { request: EmptyRequest; response: Settings };
  settings_update: { request: SettingsUpdate; response: Settings };
  setup_status: { request: EmptyRequest; response: SetupStatus };
  sql_schema: { request: EmptyRequest; response: SqlSchema };
  sql_run: { request: SqlRequest; response: SqlResult };
  prices: { request: EmptyRequest; response: PricesResponse };
  prices_check: { request: EmptyRequest; response: PriceCheck };
  prices_recompute: { request: RecomputeRequest; response: RecomputeOutcome };
  import_scan: { request: ImportScanRequest; response: ScanResponse };
  import_start: { request: ImportStartRequest; response: ImportStartResponse };
  import_job: { request: ImportJobRequest; response: ImportJob };
  import_cancel: { request: ImportJobRequest; response: ImportJob };
  export_data: { request: ExportRequest; response: ExportResult };
  export_object_storage: { request: ObjectExportRequest; response: ObjectExportResult };
  delete_preview: { request: DeleteRequest; response: DeleteCounts };
  delete_data: { request: DeleteRequest; response: DeleteCounts };
  tokens_list: { request: EmptyRequest; response: TokenList };
  tokens_add: { request: TokenNameRequest; response: NewToken };
  forwarding_status: { request: EmptyRequest; response: ForwardingStatus };
  forwarding_update: { request: ForwardingUpdate; response: ForwardingStatus };
  tokens_revoke: { request: TokenNameRequest; response: ApiToken };
  pick_folder: { request: PickFolderRequest; response: PickedFolder };
  tool_config_preview: { request: ToolConfigRequest; response: ConfigPlan };
  tool_config_apply: { request: ToolConfigRequest; response: AppliedConfig };
  launch_at_login_get: { request: EmptyRequest; response: LaunchAtLogin };
  launch_at_login_set: { request: LaunchAtLogin; response: LaunchAtLogin };
  receiving_set_paused: { request: Receiving; response: Receiving };
  updates_check: { request: EmptyRequest; response: UpdateCheck };
  team_dashboard_get: { request: EmptyRequest; response: TeamDashboard };
  team_dashboard_open: { request: TeamDashboard; response: TeamDashboard };
};
