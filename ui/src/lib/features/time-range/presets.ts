// The relative time ranges of the original app and the chart bucket ("interval") each one uses,
// so a 1-minute view has 1-second bars and a 1-year view has 14-day bars.

export type PresetId =
  | '1m' | '5m' | '15m' | '30m' | '1h' | '3h' | '6h' | '12h' | '24h'
  | '3d' | '7d' | '14d' | '30d' | '45d' | '60d' | '90d' | '180d' | '1y';

export type Preset = { id: PresetId; label: string; durationSeconds: number; intervalSeconds: number };

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

export const PRESETS: readonly Preset[] = [
  { id: '1m', label: 'Last 1 minute', durationSeconds: MINUTE, intervalSeconds: 1 },
  { id: '5m', label: 'Last 5 minutes', durationSeconds: 5 * MINUTE, intervalSeconds: 5 },
  { id: '15m', label: 'Last 15 minutes', durationSeconds: 15 * MINUTE, intervalSeconds: 15 },
  { id: '30m', label: 'Last 30 minutes', durationSeconds: 30 * MINUTE, intervalSeconds: 30 },
  { id: '1h', label: 'Last 1 hour', durationSeconds: HOUR, intervalSeconds: MINUTE },
  { id: '3h', label: 'Last 3 hours', durationSeconds: 3 * HOUR, intervalSeconds: 5 * MINUTE },
  { id: '6h', label: 'Last 6 hours', durationSeconds: 6 * HOUR, intervalSeconds: 10 * MINUTE },
  { id: '12h', label: 'Last 12 hours', durationSeconds: 12 * HOUR, intervalSeconds: 20 * MINUTE },
  { id: '24h', label: 'Last 24 hours', durationSeconds: DAY, intervalSeconds: HOUR },
  { id: '3d', label: 'Last 3 days', durationSeconds: 3 * DAY, intervalSeconds: 3 * HOUR },
  { id: '7d', label: 'Last 7 days', durationSeconds: 7 * DAY, intervalSeconds: 6 * HOUR },
  { id: '14d', label: 'Last 14 days', durationSeconds: 14 * DAY, intervalSeconds: 12 * HOUR },
  { id: '30d', label: 'Last 30 days', durationSeconds: 30 * DAY, intervalSeconds: DAY },
  { id: '45d', label: 'Last 45 days', durationSeconds: 45 * DAY, intervalSeconds: DAY },
  { id: '60d', label: 'Last 60 days', durationSeconds: 60 * DAY, intervalSeconds: 2 * DAY },
  { id: '90d', label: 'Last 90 days', durationSeconds: 90 * DAY, intervalSeconds: 3 * DAY },
  { id: '180d', label: 'Last 180 days', durationSeconds: 180 * DAY, intervalSeconds: 7 * DAY },
  { id: '1y', label: 'Last 1 year', durationSeconds: 365 * DAY, intervalSeconds: 14 * DAY },
];

export function findPreset(id: string | null | undefined): Preset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}

/** Bucket size for an absolute range: the interval of the shortest preset that covers it. */
export function intervalForSpan(spanSeconds: number): number {
  const longest = PRESETS[PRESETS.length - 1] as Preset;
  return (PRESETS.find((preset) => preset.durationSeconds >= spanSeconds) ?? longest).intervalSeconds;
}
