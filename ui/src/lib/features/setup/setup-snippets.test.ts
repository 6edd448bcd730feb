import { describe, expect, it } from 'vitest';
import {
  CHAINED_STATUS_LINE_COMMAND,
  anyToolShellSnippet,
  claudeSettingsSnippet,
  claudeShellSnippet,
  claudeStatusLineSnippet,
  codexTomlSnippet,
  copilotShellSnippet,
  geminiSettingsSnippet,
  gooseShellSnippet,
  opencodeConfigSnippet,
  opencodeShellSnippet,
  qwenSettingsSnippet,
} from './setup-snippets';

const ports = { api: 8080, otlpHttp: 4319, otlpGrpc: 4317 };

describe('setup snippets', () => {
  it('builds the Claude Code environment from the OTLP HTTP port', () => {
    expect(claudeShellSnippet(ports, { logPrompts: false })).toBe(
      [
        'export CLAUDE_CODE_ENABLE_TELEMETRY=1',
        'export OTEL_METRICS_EXPORTER=otlp',
        'export OTEL_LOGS_EXPORTER=otlp',
        'export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
        'export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4319',
      ].join('\n'),
    );
    expect(claudeShellSnippet(ports, { logPrompts: true })).toContain('export OTEL_LOG_USER_PROMPTS=1');
    expect((JSON.parse(claudeSettingsSnippet(ports, { logPrompts: false })) as { env: Record<string, string> }).env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:4319');
  });

  it('builds the Codex [otel] table with full per-signal endpoints', () => {
    expect(codexTomlSnippet(ports, { logPrompts: false })).toBe(
      [
        '[otel]',
        'log_user_prompt = false',
        'exporter = { otlp-http = { endpoint = "http://127.0.0.1:4319/v1/logs", protocol = "binary" } }',
        'metrics_exporter = { otlp-http = { endpoint = "http://127.0.0.1:4319/v1/metrics", protocol = "binary" } }',
        'trace_exporter = { otlp-http = { endpoint = "http://127.0.0.1:4319/v1/traces", protocol = "binary" } }',
      ].join('\n'),
    );
  });

  it('builds the Gemini telemetry block', () => {
    expect(JSON.parse(geminiSettingsSnippet(ports, { logPrompts: true }))).toEqual({
      telemetry: { enabled: true, target: 'local', otlpEndpoint: 'http://127.0.0.1:4319', otlpProtocol: 'http', logPrompts: true },
    });
  });

  it('points Qwen Code, opencode, Copilot CLI, Goose and any OTLP tool at the HTTP port', () => {
    expect(JSON.parse(qwenSettingsSnippet(ports, { logPrompts: false }))).toEqual({
      telemetry: { enabled: true, target: 'local', otlpEndpoint: 'http://127.0.0.1:4319', otlpProtocol: 'http', logPrompts: false },
    });
    expect(opencodeShellSnippet(ports, { logPrompts: false })).toBe('export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4319\nexport OTEL_BSP_SCHEDULE_DELAY=100');
    expect(JSON.parse(opencodeConfigSnippet())).toEqual({ experimental: { openTelemetry: true } });
    expect(copilotShellSnippet(ports, { logPrompts: false })).toBe(
      ['export COPILOT_OTEL_ENABLED=true', 'export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4319', 'export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf'].join('\n'),
    );
    expect(copilotShellSnippet(ports, { logPrompts: true })).toContain('export OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true');
    expect(gooseShellSnippet(ports, { logPrompts: false })).toBe('export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4319');
    expect(anyToolShellSnippet(ports, { logPrompts: false })).toContain('export OTEL_SERVICE_NAME=my-agent');
  });

  it('makes `ai-observer statusline` Claude Code’s status line, or chains one the user has', () => {
    expect(claudeStatusLineSnippet()).toBe(['{', '  "statusLine": {', '    "type": "command",', '    "command": "ai-observer statusline"', '  }', '}'].join('\n'));
    expect(CHAINED_STATUS_LINE_COMMAND).toBe("ai-observer statusline --chain '<your command>'");
  });
});
