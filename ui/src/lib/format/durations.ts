// Elapsed times: API latencies arrive in milliseconds, span durations in nanoseconds.

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** 0.45 -> "450 µs", 850 -> "850 ms", 1234 -> "1.23 s", 200000 -> "3m 20s", 7500000 -> "2h 5m". */
export function formatDurationMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) return `-${formatDurationMs(-ms)}`;
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${trim((ms * 1000).toFixed(0))} µs`;
  if (ms < 1000) return `${trim(ms.toFixed(ms < 10 ? 2 : 0))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${trim(seconds.toFixed(2))} s`;
  const totalSeconds = Math.round(seconds);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const restSeconds = totalSeconds % 60;
  if (hours === 0) return restSeconds === 0 ? `${minutes}m` : `${minutes}m ${restSeconds}s`;
  if (hours < 24) return minutes === 0 ? `${hours}h` : `${hours}h ${minutes}m`;
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours === 0 ? `${days}d` : `${days}d ${restHours}h`;
}

export function formatDurationNs(ns: number | null | undefined): string {
  if (ns === null || ns === undefined || !Number.isFinite(ns)) return '—';
  return formatDurationMs(ns / 1e6);
}

export function formatDurationSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  return formatDurationMs(seconds * 1000);
}
