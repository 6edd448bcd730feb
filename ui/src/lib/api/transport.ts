// The seam between the typed client and a backend: Tauri IPC in the desktop app, HTTP + `/ws`
// in a browser. Everything above this interface is transport-agnostic.
import type { LiveMessage } from './live-types';
import type { OperationName } from './operations.gen';

export type LiveListener = (message: LiveMessage) => void;
export type ConnectionListener = (connected: boolean) => void;

export type CallOptions = { signal?: AbortSignal };

export interface Transport {
  call<Req, Res>(op: OperationName, request: Req, options?: CallOptions): Promise<Res>;
  /** Live messages; returns an unsubscribe function. */
  subscribe(listener: (msg: LiveMessage) => void): () => void;
  /** Whether live messages can currently arrive (socket open); optional for transports that are always connected. */
  onConnectionChange?(listener: ConnectionListener): () => void;
}
