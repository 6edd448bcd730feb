// The closed value sets the engine sends as plain strings (the generated types say `string`):
// the UI narrows them here so components can switch on them. Hand-written; not part of *.gen.ts.

/** `TraceOverview.kind`, and the `kind` of a trace-spans request. */
export type TraceKind = 'otel_trace' | 'codex_operation';

/** `TraceOverview.status`. */
export type TraceStatus = 'OK' | 'ERROR' | 'UNSET';

/** `TranscriptMessage.role`. */
export type TranscriptRole = 'user' | 'assistant' | 'tool_use' | 'tool_result' | 'system';

const TRANSCRIPT_ROLES: readonly string[] = ['user', 'assistant', 'tool_use', 'tool_result', 'system'] satisfies TranscriptRole[];

/** A role this UI knows how to show; an unknown one from a newer engine is shown unfiltered. */
export function isTranscriptRole(role: string): role is TranscriptRole {
  return TRANSCRIPT_ROLES.includes(role);
}

/** `SpendRequest.groupBy`. */
export type SpendGroupBy = 'tool' | 'model' | 'day' | 'week' | 'month' | 'session' | 'project';

/** `BudgetStatus.period`. */
export type BudgetPeriod = 'daily' | 'monthly';

/** The answer of `log_levels`: count per severity text. */
export type LogLevels = Record<string, number>;
