// The one live subscription a page holds: it turns a burst of live messages into at most one
// re-query per debounce window (>= 500 ms), and optionally polls (>= 10 s, never for absolute
// ranges) so relative windows keep moving. Nothing here knows what a page loads.
import type { LiveMessage, LiveMessageType } from '../api/live-types';

export const MIN_DEBOUNCE_MS = 500;
export const MIN_POLL_MS = 10_000;

export type LiveRefreshOptions = {
  subscribe: (listener: (message: LiveMessage) => void) => () => void;
  /** Message types that should trigger a refresh; others are only passed to onMessage. */
  types: readonly LiveMessageType[];
  onRefresh: () => void;
  /** Every message (before debouncing), e.g. to count "N new logs". */
  onMessage?: (message: LiveMessage) => void;
  /** Extra filter: return false to ignore a message of a listed type. */
  accept?: (message: LiveMessage) => boolean;
  debounceMs?: number;
  /** Poll period; null/undefined = no polling. */
  pollMs?: number | null;
  /** Checked at every tick: polling pauses while it returns false (absolute ranges). */
  canPoll?: () => boolean;
};

export function startLiveRefresh(options: LiveRefreshOptions): () => void {
  const debounceMs = Math.max(MIN_DEBOUNCE_MS, options.debounceMs ?? MIN_DEBOUNCE_MS);
  let pending: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const fire = () => {
    pending = null;
    if (!stopped) options.onRefresh();
  };

  // Coalesce: the first message opens a window, later ones inside it ride along. Unlike a
  // resetting debounce this cannot starve under a steady stream of messages.
  const schedule = () => {
    if (pending === null) pending = setTimeout(fire, debounceMs);
  };

  const unsubscribe = options.subscribe((message) => {
    if (stopped) return;
    options.onMessage?.(message);
    if (!options.types.includes(message.type)) return;
    if (options.accept && !options.accept(message)) return;
    schedule();
  });

  let poller: ReturnType<typeof setInterval> | null = null;
  if (options.pollMs !== null && options.pollMs !== undefined) {
    const period = Math.max(MIN_POLL_MS, options.pollMs);
    poller = setInterval(() => {
      if (stopped || pending !== null) return;
      if (options.canPoll && !options.canPoll()) return;
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      options.onRefresh();
    }, period);
  }

  return () => {
    stopped = true;
    unsubscribe();
    if (pending !== null) clearTimeout(pending);
    if (poller !== null) clearInterval(poller);
  };
}
