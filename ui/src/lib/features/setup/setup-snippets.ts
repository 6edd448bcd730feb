// The exact settings that point each assistant at this app's OTLP receiver, built from the
// ports the engine reports, so the copied text is right even when a port was changed; and Claude
// Code's status line, the one place it shows its plan limits.
import type { Ports, Tool } from '../../api/types.gen';

/** The tools whose telemetry settings live in a file the desktop app can write (preview, backup, apply); the others read environment variables only. */
export const TOOLS_WITH_SETTINGS_FILE: readonly Tool[] = ['claude-code', 'codex', 'gemini', 'qwen-code'];

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

/** Qwen Code inherited Gemini CLI's `telemetry` block (~/.qwen/settings.json); its default protocol is gRPC, so `http` is spelled out. */
export function qwenSettingsSnippet(ports: Ports, options: SnippetOptions): string {
  return geminiSettingsSnippet(ports, options);
}

/** Shell lines for tools configured only by environment variables. */
function shellLines(vars: [string, string][]): string {
  return vars.map(([name, value]) => `export ${name}=${value}`).join('\n');
}

/** opencode: the endpoint only from the environment (plus `experimental.openTelemetry` in its config for the model-call spans). */
export function opencodeShellSnippet(ports: Ports, options: SnippetOptions): string {
  return shellLines([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', otlpBaseUrl(ports, options.host)],
    // opencode does not flush its spans at exit: a short delay loses fewer of a short run's last calls
    ['OTEL_BSP_SCHEDULE_DELAY', '100'],
  ]);
}

/** The part of ~/.config/opencode/opencode.json that turns on the AI SDK's spans (the ones with usage). */
export function opencodeConfigSnippet(): string {
  return JSON.stringify({ experimental: { openTelemetry: true } }, null, 2);
}

/** GitHub Copilot CLI: native OpenTelemetry (HTTP only, no gRPC), switched on by its variables. */
export function copilotShellSnippet(ports: Ports, options: SnippetOptions): string {
  const vars: [string, string][] = [
    ['COPILOT_OTEL_ENABLED', 'true'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', otlpBaseUrl(ports, options.host)],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf'],
  ];
  if (options.logPrompts) vars.push(['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', 'true']);
  return shellLines(vars);
}

/** Goose: the endpoint turns its traces, metrics and logs on (it sends protobuf whatever the protocol variable says). */
export function gooseShellSnippet(ports: Ports, options: SnippetOptions): string {
  return shellLines([['OTEL_EXPORTER_OTLP_ENDPOINT', otlpBaseUrl(ports, options.host)]]);
}

/** Any other tool that exports OpenTelemetry: its spans following the GenAI conventions become usage, under its service name. */
export function anyToolShellSnippet(ports: Ports, options: SnippetOptions): string {
  return shellLines([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', otlpBaseUrl(ports, options.host)],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf'],
    ['OTEL_SERVICE_NAME', 'my-agent'],
  ]);
}

/** The status-line command: `ai-observer` on the PATH (the desktop app writes its full path instead). */
export const STATUS_LINE_COMMAND = 'ai-observer statusline';

/** The `statusLine` entry of ~/.claude/settings.json that makes `ai-observer statusline` Claude Code's status line. */
export function claudeStatusLineSnippet(): string {
  return JSON.stringify({ statusLine: { type: 'command', command: STATUS_LINE_COMMAND } }, null, 2);
}

/** What to use as the command instead when Claude Code already has a status line: ours runs theirs and prints its output first. */
export const CHAINED_STATUS_LINE_COMMAND = `${STATUS_LINE_COMMAND} --chain '<your command>'`;
