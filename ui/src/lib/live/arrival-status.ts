// What the top bar's live dot says. "Receiving" only while telemetry really arrives (something came
// in the last five minutes); a connection that has carried nothing lately says so, with the time of
// the last arrival, instead of claiming to be live. Pure, so the wording is tested.
import { formatDateTime } from '../format/dates';

export const RECENT_ARRIVAL_MS = 5 * 60_000;

export type ArrivalState = 'offline' | 'receiving' | 'idle';

export type ArrivalStatus = { state: ArrivalState; text: string };

export function arrivalStatus(connected: boolean, lastArrival: number | null, now: number, timeZone?: string): ArrivalStatus {
  if (!connected) return { state: 'offline', text: 'Offline' };
  if (lastArrival !== null && now - lastArrival <= RECENT_ARRIVAL_MS) return { state: 'receiving', text: 'Receiving' };
  if (lastArrival === null) return { state: 'idle', text: 'Connected — nothing received yet' };
  return { state: 'idle', text: `Connected — nothing received since ${formatDateTime(lastArrival, { timeZone })}` };
}

/** The latest of some ISO times (e.g. each tool's last OTLP event), as epoch millis; null if none. */
export function latestTime(times: readonly (string | null | undefined)[]): number | null {
  let latest: number | null = null;
  for (const time of times) {
    const parsed = time ? Date.parse(time) : Number.NaN;
    if (!Number.isNaN(parsed) && (latest === null || parsed > latest)) latest = parsed;
  }
  return latest;
}
