// The engine's closed value sets under the names the UI uses; every one is generated from Rust
// (types.gen.ts), nothing here is kept by hand.
import type { TranscriptRole } from './types.gen';

export type { BudgetPeriod, GroupBy as SpendGroupBy, TraceKind, TraceStatus, TranscriptRole } from './types.gen';

const TRANSCRIPT_ROLES: readonly TranscriptRole[] = ['user', 'assistant', 'tool_use', 'tool_result', 'system'];

/** A role this UI knows how to show. */
export function isTranscriptRole(role: string): role is TranscriptRole {
  return (TRANSCRIPT_ROLES as readonly string[]).includes(role);
}

/** The answer of `log_levels`: count per severity text. */
export type LogLevels = Record<string, number>;
