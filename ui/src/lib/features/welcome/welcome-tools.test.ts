import { describe, expect, it } from 'vitest';
import type { ConfigPlan, ScanResponse, SetupStatus } from '../../api/types.gen';
import { importJob, importResult, scanTool, tokens } from '../../../../tests/support/fixtures';
import { filesText, importOutcome, joinNames, retentionNote, telemetryView, welcomeImport, welcomeTools, type WelcomeTool } from './welcome-tools';

const SCAN: ScanResponse = {
  tools: [
    scanTool('claude-code', { files: 12, bytes: 3_145_728, newFiles: 12 }),
    scanTool('codex', { files: 4, bytes: 2048, newFiles: 1, changedFiles: 1, importedFiles: 3 }),
    scanTool('gemini'),
  ],
  claudeRetention: { cleanupPeriodDays: 30, isDefault: true, settingsPath: '/home/dev/.claude/settings.json' },
};

const STATUS: SetupStatus = {
  ports: { api: 8080, otlpHttp: 4318, otlpGrpc: 4317 },
  tools: [
    { tool: 'claude-code', lastOtlpEvent: null, otlpRecords: 0, lastImport: null, importedRecords: 0 },
    { tool: 'codex', lastOtlpEvent: '2026-11-28T12:00:00Z', otlpRecords: 42, lastImport: null, importedRecords: 0 },
    { tool: 'gemini', lastOtlpEvent: null, otlpRecords: 0, lastImport: null, importedRecords: 0 },
  ],
};

function plan(tool: ConfigPlan['tool'], changed: boolean): ConfigPlan {
  return { tool, path: `/home/dev/.${tool}/settings.json`, exists: true, currentContent: '{}', newContent: '{}', changed, diff: [], notes: [] };
}

function row(partial: Partial<WelcomeTool>): WelcomeTool {
  return { tool: 'claude-code', name: 'Claude Code', files: 0, bytes: 0, toRead: 0, telemetry: { kind: 'unknown' }, offer: 'setup-link', ...partial };
}

describe('welcomeTools', () => {
  it('lists every assistant with the scan’s counts; in a browser telemetry is known only once it arrives', () => {
    const rows = welcomeTools(SCAN, STATUS, null, false);
    expect(rows.map((entry) => [entry.tool, entry.name, entry.files, entry.bytes, entry.toRead, entry.telemetry.kind, entry.offer])).toEqual([
      ['claude-code', 'Claude Code', 12, 3_145_728, 12, 'unknown', 'setup-link'],
      ['codex', 'Codex CLI', 4, 2048, 2, 'receiving', 'none'],
      ['gemini', 'Gemini CLI', 0, 0, 0, 'unknown', 'setup-link'],
    ]);
    expect(rows[1]?.telemetry).toEqual({ kind: 'receiving', records: 42 });
  });

  it('in the desktop app reads the settings previews: already set, to write, or unknown when the preview failed', () => {
    const previews = { 'claude-code': plan('claude-code', true), codex: plan('codex', false), gemini: null };
    const rows = welcomeTools(SCAN, null, previews, true);
    expect(rows.map((entry) => [entry.tool, entry.telemetry.kind, entry.offer])).toEqual([
      ['claude-code', 'not-configured', 'write'],
      ['codex', 'configured', 'none'],
      // not on this machine: Setup explains it, nothing is written for a tool that is not there
      ['gemini', 'unknown', 'setup-link'],
    ]);
    // telemetry that arrives wins over what the settings say
    expect(welcomeTools(SCAN, STATUS, { codex: plan('codex', true) }, true)[1]?.offer).toBe('none');
  });

  it('counts a tool the scan did not report as not found', () => {
    const rows = welcomeTools({ ...SCAN, tools: [scanTool('codex', { files: 2, bytes: 10, newFiles: 2 })] }, null, null, true);
    expect(rows.map((entry) => [entry.tool, entry.files, entry.offer])).toEqual([
      ['claude-code', 0, 'setup-link'],
      ['codex', 2, 'write'],
      ['gemini', 0, 'setup-link'],
    ]);
  });
});

describe('the assistants beyond the first three', () => {
  it('are listed once found or heard from; only Qwen Code has a settings file to write', () => {
    const scan = { ...SCAN, tools: [...SCAN.tools, scanTool('qwen-code', { files: 3, bytes: 900, newFiles: 3 }), scanTool('copilot', { files: 2, bytes: 500, newFiles: 2 })] };
    const status: SetupStatus = { ...STATUS, tools: [...STATUS.tools, { tool: 'goose', lastOtlpEvent: '2026-11-29T23:00:00Z', otlpRecords: 7, lastImport: null, importedRecords: 0 }] };
    const rows = welcomeTools(scan, status, { 'qwen-code': plan('qwen-code', true) }, true);
    expect(rows.map((entry) => [entry.tool, entry.files, entry.telemetry.kind, entry.offer])).toEqual([
      ['claude-code', 12, 'unknown', 'write'],
      ['codex', 4, 'receiving', 'none'],
      ['gemini', 0, 'unknown', 'setup-link'],
      ['qwen-code', 3, 'not-configured', 'write'],
      // environment variables only: Setup shows them
      ['copilot', 2, 'unknown', 'setup-link'],
      ['goose', 0, 'receiving', 'none'],
    ]);
    expect(welcomeImport(rows)?.tools).toEqual(['claude-code', 'codex', 'qwen-code', 'copilot']);
  });
});

describe('what a row says', () => {
  it('says how many session files there are, their size and what is not imported yet', () => {
    const [claude, codex, gemini] = welcomeTools(SCAN, null, null, false) as [WelcomeTool, WelcomeTool, WelcomeTool];
    expect(filesText(claude)).toBe('12 session files (3 MB)');
    expect(filesText(codex)).toBe('4 session files (2 KB), 2 new or changed');
    expect(filesText(gemini)).toBe('No session files found');
    expect(filesText(row({ files: 1, bytes: 512, toRead: 0 }))).toBe('1 session file (512 B), all imported');
  });

  it('gives each telemetry state its badge, and names the action the row offers', () => {
    const found = row({ files: 3, offer: 'write' });
    expect(telemetryView(found, { kind: 'receiving', records: 1 })).toEqual({ tone: 'ok', badge: 'Telemetry on', text: 'Its telemetry arrives here (1 record so far).' });
    expect(telemetryView(found, { kind: 'configured' })).toEqual({ tone: 'info', badge: 'Telemetry set up', text: "Its settings send telemetry here: Claude Code's next session shows up live." });
    expect(telemetryView(found, { kind: 'not-configured' })).toEqual({
      tone: 'warn',
      badge: 'Telemetry off',
      text: 'Its settings do not send telemetry here yet. Preview the change to its settings file; the old file is kept as a backup.',
    });
    // a browser: nothing to preview, the row links to Setup
    expect(telemetryView(row({ files: 3 }), { kind: 'unknown' })).toEqual({ tone: 'warn', badge: 'Telemetry off', text: 'No telemetry from it has arrived yet.' });
    // a tool not on this machine is no warning
    expect(telemetryView(row({ files: 0 }), { kind: 'unknown' })).toEqual({ tone: 'neutral', badge: 'Telemetry off', text: 'No telemetry from it has arrived either.' });
  });
});

describe('welcomeImport', () => {
  it('imports every tool with new or changed files, and says how many files from whom', () => {
    expect(welcomeImport(welcomeTools(SCAN, null, null, false))).toEqual({ tools: ['claude-code', 'codex'], files: 14, label: 'Import 14 files from Claude Code and Codex CLI' });
    const one = welcomeImport([row({ tool: 'gemini', name: 'Gemini CLI', files: 1, toRead: 1 })]);
    expect(one).toEqual({ tools: ['gemini'], files: 1, label: 'Import 1 file from Gemini CLI' });
  });

  it('offers no import when nothing is new', () => {
    expect(welcomeImport([row({ files: 3, toRead: 0 }), row({ tool: 'codex', name: 'Codex CLI' })])).toBeNull();
    expect(welcomeImport([])).toBeNull();
  });

  it('joins names the way a sentence does', () => {
    expect(joinNames([])).toBe('');
    expect(joinNames(['Claude Code'])).toBe('Claude Code');
    expect(joinNames(['Claude Code', 'Codex CLI', 'Gemini CLI'])).toBe('Claude Code, Codex CLI and Gemini CLI');
  });

  it('warns that Claude Code deletes old transcripts only when it has some to import', () => {
    const rows = welcomeTools(SCAN, null, null, false);
    expect(retentionNote(SCAN, rows)).toBe('Claude Code deletes transcripts older than 30 days; importing them now keeps them.');
    const kept = { ...SCAN, claudeRetention: { cleanupPeriodDays: 3650, isDefault: false, settingsPath: '' } };
    expect(retentionNote(kept, rows)).toBeNull();
    const noClaude = welcomeTools({ ...SCAN, tools: SCAN.tools.slice(1) }, null, null, false);
    expect(retentionNote(SCAN, noClaude)).toBeNull();
  });
});

describe('importOutcome', () => {
  const tool = (name: string, files: number, requests: number, costUsd: number) => ({ tool: name, files, records: requests * 3, requests, tokens: tokens(), costUsd, unpricedRequests: 0 });

  it('sums what every tool brought in', () => {
    const done = importJob({ state: 'done', result: importResult({ tools: [tool('claude-code', 12, 100, 1.5), tool('codex', 2, 20, 0.25)] }) });
    expect(importOutcome(done)).toBe('Imported 120 model requests ($1.75) from 14 files.');
    const problems = importJob({ state: 'done', result: importResult({ tools: [tool('codex', 1, 1, 0.004)], errors: [{ file: '/x.jsonl', line: 3, message: 'bad' }] }) });
    expect(importOutcome(problems)).toBe('Imported 1 model request ($0.0040) from 1 file. 1 file problem: the Import page lists them.');
  });

  it('says why it failed, or that it was cancelled', () => {
    expect(importOutcome(importJob({ state: 'failed', error: 'database is read-only' }))).toBe('The import failed: database is read-only.');
    const cancelled = importJob({ state: 'cancelled', result: importResult({ cancelled: true, tools: [tool('claude-code', 3, 10, 0.5)] }) });
    expect(importOutcome(cancelled)).toBe('Cancelled after 10 model requests ($0.50) from 3 files; what was read is kept.');
  });
});
