// Live messages (`/ws` and the Tauri `live` event): the shape is the engine's `LiveMessage` enum,
// generated into types.gen.ts; this file adds the list of message types the socket accepts.
import type { LiveMessage } from './types.gen';

export type { LiveMessage, UsageNotice } from './types.gen';

export type LiveMessageType = LiveMessage['type'];

export const LIVE_MESSAGE_TYPES: readonly LiveMessageType[] = ['traces', 'metrics', 'logs', 'usage', 'import_progress', 'limits'];
