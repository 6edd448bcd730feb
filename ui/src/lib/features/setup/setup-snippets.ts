// The exact settings that point each assistant at this app's OTLP receiver, built from the
// ports the engine reports, so the copied text is right even when a port was changed; and Claude
// Code's status line, the one place it shows its plan limits.
import type { Ports } from '../../api/types.gen';

export type SnippetOptions = { logPrompts: boolean; host?: string };

export function otlpBaseUrl(ports: Ports, host = '127.0.0.1'): string {
  return `http://${host}:${ports.otlpHttp}`;
}

export function claudeEnvVars(ports: Ports, options: SnippetOptions): [string, string][] {
  const vars: [string, string][] = [
    ['CLAUDE_CODE_ENABLE_TELEMETRY', '1'],
    ['OTEL_METRICS_EXPORTER', 'otlp'],
    ['OTEL_LOGS_EXPORTER', 'otlp'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', otlpBaseUrl(ports, options.host)],
  ];
  if (options.logPrompts) vars.push(['OTEL_LOG_USER_PROMPTS', '1']);
  return vars;
}

/** Lines for ~/.bashrc / ~/.zshrc. */
export function claudeShellSnippet(ports: Ports, options: SnippetOptions): string {
  return claudeEnvVars(ports, options)
    .map(([name, value]) => `export ${name}=${value}`)
    .join('\n');
}

/** The same variables as the `env` block of ~/.claude/settings.json (no shell needed). */
export function claudeSettingsSnippet(ports: Ports, options: SnippetOptions): string {
  return JSON.stringify({ env: Object.fromEntries(claudeEnvVars(ports, options)) }, null, 2);
}

/** The `[otel]` table of ~/.codex/config.toml: logs, metrics and traces, each to its full path. */
export function codexTomlSnippet(ports: Ports, options: SnippetOptions): string {
  const base = otlpBaseUrl(ports, options.host);
  const exporter = (signal: string) => `{ otlp-http = { endpoint = "${base}/v1/${signal}", protocol = "binary" } }`;
  return [
    '[otel]',
    `log_user_prompt = ${options.logPrompts ? 'true' : 'false'}`,
    `exporter = ${exporter('logs')}`,
    `metrics_exporter = ${exporter('metrics')}`,
    `trace_exporter = ${exporter('traces')}`,
  ].join('\n');
}

/** The `telemetry` block of ~/.gemini/settings.json. */
export function geminiSettingsSnippet(ports: Ports, options: SnippetOptions): string {
  return JSON.stringify(
    {
      telemetry: {
        enabled: true,
        target: 'local',
        otlpEndpoint: otlpBaseUrl(ports, options.host),
        otlpProtocol: 'http',
        logPrompts: options.logPrompts,
      },
    },
    null,
    2,
  );
}

/** The status-line command: `ai-observer` on the PATH (the desktop app writes its full path instead). */
export const STATUS_LINE_COMMAND = 'ai-observer statusline';

/** The `statusLine` entry of ~/.claude/settings.json that makes `ai-observer statusline` Claude Code's status line. */
export function claudeStatusLineSnippet(): string {
  return JSON.stringify({ statusLine: { type: 'command', command: STATUS_LINE_COMMAND } }, null, 2);
}

/** What to use as the command instead when Claude Code already has a status line: ours runs theirs and prints its output first. */
export const CHAINED_STATUS_LINE_COMMAND = `${STATUS_LINE_COMMAND} --chain '<your command>'`;
