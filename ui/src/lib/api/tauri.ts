// Desktop transport: each operation is the Tauri command of the same name, invoked as
// `invoke(op, { request })`; live messages arrive as the `live` event with the same JSON as `/ws`.
// The ONLY module that imports @tauri-apps/* (checked by tests/architecture.test.ts).
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { ApiError, apiErrorFromBody } from './errors';
import type { LiveMessage } from './live-types';
import type { OperationName } from './operations.gen';
import type { Transport } from './transport';

function toApiError(op: OperationName, error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (typeof error === 'string') return apiErrorFromBody({ message: error }, 0, error);
  return apiErrorFromBody(error, 0, `${op} failed`);
}

export function createTauriTransport(): Transport {
  return {
    async call<Req, Res>(op: OperationName, request: Req): Promise<Res> {
      try {
        return await invoke<Res>(op, { request: request ?? {} });
      } catch (error) {
        throw toApiError(op, error);
      }
    },
    subscribe(listener) {
      let unlisten: (() => void) | null = null;
      let cancelled = false;
      void listen<LiveMessage>('live', (event) => listener(event.payload)).then((stop) => {
        if (cancelled) stop();
        else unlisten = stop;
      });
      return () => {
        cancelled = true;
        unlisten?.();
      };
    },
  };
}
