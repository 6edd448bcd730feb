// An in-memory Transport for component tests: each operation answers from a handler the test
// gives, calls are recorded, and live messages can be pushed. Injected through useTransport(),
// the same seam the app uses to choose Tauri or HTTP — no fetch or module mocking.
import { ApiError } from '../../src/lib/api/errors';
import type { RequestOf, ResponseOf } from '../../src/lib/api/client';
import type { LiveMessage } from '../../src/lib/api/live-types';
import type { OperationName } from '../../src/lib/api/operations.gen';
import type { Transport } from '../../src/lib/api/transport';

export type Handlers = { [K in OperationName]?: (request: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>> };

export type RecordedCall = { op: OperationName; request: Record<string, unknown> };

export type MemoryTransport = Transport & {
  calls: RecordedCall[];
  callsOf(op: OperationName): RecordedCall[];
  emit(message: LiveMessage): void;
  listenerCount(): number;
};

export function createMemoryTransport(handlers: Handlers): MemoryTransport {
  const calls: RecordedCall[] = [];
  const listeners = new Set<(message: LiveMessage) => void>();
  return {
    calls,
    callsOf: (op) => calls.filter((call) => call.op === op),
    async call<Req, Res>(op: OperationName, request: Req): Promise<Res> {
      calls.push({ op, request: { ...(request as Record<string, unknown>) } });
      const handler = handlers[op] as ((request: Req) => Res | Promise<Res>) | undefined;
      if (!handler) throw new ApiError('not_found', `no test handler for ${op}`, 404);
      const result = await handler(request);
      return result === undefined ? result : structuredClone(result);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnectionChange(listener) {
      listener(true);
      return () => {};
    },
    emit(message) {
      for (const listener of [...listeners]) listener(message);
    },
    listenerCount: () => listeners.size,
  };
}
