// Live messages (`/ws` and the Tauri `live` event). The engine does not generate these shapes, so
// they are written here by hand over the generated payload types; everything else comes from *.gen.ts.
import type { ImportJob, LogRecord, MetricDataPoint, Span } from './types.gen';

/** `usage` payload entry: new model requests of one tool were stored. */
export type UsageNotice = { tool: string; requests: number };

export type LiveMessage =
  | { type: 'traces'; timestamp: string; payload: Span[] }
  | { type: 'metrics'; timestamp: string; payload: MetricDataPoint[] }
  | { type: 'logs'; timestamp: string; payload: LogRecord[] }
  | { type: 'usage'; timestamp: string; payload: UsageNotice[] }
  | { type: 'import_progress'; timestamp: string; payload: ImportJob };

export type LiveMessageType = LiveMessage['type'];

export const LIVE_MESSAGE_TYPES: readonly LiveMessageType[] = ['traces', 'metrics', 'logs', 'usage', 'import_progress'];
