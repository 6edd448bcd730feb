// What the first-run welcome says and offers per assistant, from what the engine found: the session
// files the import scan counted, whether telemetry arrived (setup status), and — in the desktop app,
// which can read the tools' settings — whether a tool's settings already send telemetry here (a
// preview that would change nothing). Also the one import it offers, built from the scan, and how
// that import ended, in a sentence.
import type { ConfigPlan, ImportJob, ScanResponse, SetupStatus, Tool } from '../../api/types.gen';
import { formatBytes } from '../../format/bytes';
import { formatUsd } from '../../format/money';
import { formatCount, formatInteger } from '../../format/numbers';
import { TOOL_KEYS, toolDisplayName } from '../../format/tools';
import { TOOLS_WITH_SETTINGS_FILE } from '../setup/setup-snippets';

/** Always listed, found or not; the other assistants are listed once their files or telemetry are. */
const ALWAYS_LISTED: readonly Tool[] = ['claude-code', 'codex', 'gemini'];

/** A tool's telemetry as far as the app can tell. */
export type Telemetry =
  | { kind: 'receiving'; records: number }
  /** its settings already point here (desktop: the preview would change nothing) */
  | { kind: 'configured' }
  /** its settings do not (desktop: the preview has a change to apply) */
  | { kind: 'not-configured' }
  /** nothing arrived, and the settings cannot be read (a browser, or the preview failed) */
  | { kind: 'unknown' };

/** What a row offers for telemetry: the settings writer (desktop), a link to Setup, or nothing to do. */
export type TelemetryOffer = 'write' | 'setup-link' | 'none';

export type WelcomeTool = {
  tool: Tool;
  name: string;
  /** session files found, their size, and how many an import would read (new or changed) */
  files: number;
  bytes: number;
  toRead: number;
  telemetry: Telemetry;
  offer: TelemetryOffer;
};

/** Previews of each tool's telemetry settings (desktop app only); null where the preview failed. */
export type SettingsPreviews = Partial<Record<Tool, ConfigPlan | null>>;

function telemetryOf(tool: Tool, status: SetupStatus | null, previews: SettingsPreviews | null): Telemetry {
  const reported = status?.tools.find((entry) => entry.tool === tool);
  if (reported?.lastOtlpEvent) return { kind: 'receiving', records: reported.otlpRecords };
  const preview = previews?.[tool];
  if (!preview) return { kind: 'unknown' };
  return preview.changed ? { kind: 'not-configured' } : { kind: 'configured' };
}

function offerFor(tool: Tool, telemetry: Telemetry, found: boolean, desktop: boolean): TelemetryOffer {
  if (telemetry.kind === 'receiving' || telemetry.kind === 'configured') return 'none';
  // the writer for assistants that are on this machine and keep a settings file; Setup explains
  // the rest (environment variables, and the browser's way)
  return desktop && found && TOOLS_WITH_SETTINGS_FILE.includes(tool) ? 'write' : 'setup-link';
}

/**
 * One row per assistant, in the engine's order: Claude Code, Codex CLI and Gemini CLI always, the
 * others when their session files were found or their telemetry arrives.
 */
export function welcomeTools(scan: ScanResponse, status: SetupStatus | null, previews: SettingsPreviews | null, desktop: boolean): WelcomeTool[] {
  return TOOL_KEYS.flatMap((tool) => {
    const scanned = scan.tools.find((entry) => entry.tool === tool);
    const files = scanned?.files ?? 0;
    const telemetry = telemetryOf(tool, status, previews);
    if (!ALWAYS_LISTED.includes(tool) && files === 0 && telemetry.kind !== 'receiving') return [];
    return [
      {
        tool,
        name: toolDisplayName(tool),
        files,
        bytes: scanned?.bytes ?? 0,
        toRead: scanned ? scanned.newFiles + scanned.changedFiles : 0,
        telemetry,
        offer: offerFor(tool, telemetry, files > 0, desktop),
      },
    ];
  });
}

/** "3 session files (1.2 MB)", with how many are not imported yet when that is not all of them. */
export function filesText(row: WelcomeTool): string {
  if (row.files === 0) return 'No session files found';
  const found = `${formatCount(row.files, 'session file')} (${formatBytes(row.bytes)})`;
  if (row.toRead === row.files) return found;
  if (row.toRead === 0) return `${found}, all imported`;
  return `${found}, ${formatInteger(row.toRead)} new or changed`;
}

export type TelemetryView = { tone: 'ok' | 'info' | 'warn' | 'neutral'; badge: string; text: string };

/**
 * The badge and the sentence for a tool's telemetry (its own, or what the user just applied). Only a
 * tool found on this machine gets a warning badge; the sentence names the action the row offers.
 */
export function telemetryView(row: Pick<WelcomeTool, 'name' | 'files' | 'offer'>, telemetry: Telemetry): TelemetryView {
  const found = row.files > 0;
  switch (telemetry.kind) {
    case 'receiving':
      return { tone: 'ok', badge: 'Telemetry on', text: `Its telemetry arrives here (${formatCount(telemetry.records, 'record')} so far).` };
    case 'configured':
      return { tone: 'info', badge: 'Telemetry set up', text: `Its settings send telemetry here: ${row.name}'s next session shows up live.` };
    case 'not-configured':
    case 'unknown': {
      const state = telemetry.kind === 'not-configured' ? 'Its settings do not send telemetry here yet.' : `No telemetry from it has arrived ${found ? 'yet' : 'either'}.`;
      const action = row.offer === 'write' ? ' Preview the change to its settings file; the old file is kept as a backup.' : '';
      return { tone: found ? 'warn' : 'neutral', badge: 'Telemetry off', text: `${state}${action}` };
    }
  }
}

/** "Claude Code", "Claude Code and Codex CLI", "Claude Code, Codex CLI and Gemini CLI". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export type WelcomeImport = {
  /** the `import_start` request: every tool with files to read */
  tools: Tool[];
  files: number;
  label: string;
};

/** The one-click import: every tool whose files are new or changed, or null when there is nothing to read. */
export function welcomeImport(rows: readonly WelcomeTool[]): WelcomeImport | null {
  const chosen = rows.filter((row) => row.toRead > 0);
  if (chosen.length === 0) return null;
  const files = chosen.reduce((sum, row) => sum + row.toRead, 0);
  return { tools: chosen.map((row) => row.tool), files, label: `Import ${formatCount(files, 'file')} from ${joinNames(chosen.map((row) => row.name))}` };
}

/** Claude Code deletes old transcripts (30 days unless set): the reason to import now, when it has any. */
export function retentionNote(scan: ScanResponse, rows: readonly WelcomeTool[]): string | null {
  const claude = rows.find((row) => row.tool === 'claude-code');
  const { cleanupPeriodDays, isDefault } = scan.claudeRetention;
  if (!claude || claude.toRead === 0 || !(isDefault || cleanupPeriodDays <= 30)) return null;
  return `Claude Code deletes transcripts older than ${formatCount(cleanupPeriodDays, 'day')}; importing them now keeps them.`;
}

/** How a finished import went, in one sentence. */
export function importOutcome(job: ImportJob): string {
  if (job.state === 'failed') return `The import failed: ${job.error ?? 'no reason given'}.`;
  const tools = job.result?.tools ?? [];
  const requests = tools.reduce((sum, tool) => sum + tool.requests, 0);
  const cost = tools.reduce((sum, tool) => sum + tool.costUsd, 0);
  const files = tools.reduce((sum, tool) => sum + tool.files, 0);
  const problems = job.result?.errors.length ?? 0;
  const read = `${formatCount(requests, 'model request')} (${formatUsd(cost)}) from ${formatCount(files, 'file')}`;
  const trouble = problems > 0 ? ` ${formatCount(problems, 'file problem')}: the Import page lists them.` : '';
  if (job.state === 'cancelled' || job.result?.cancelled) return `Cancelled after ${read}; what was read is kept.${trouble}`;
  return `Imported ${read}.${trouble}`;
}
