// Layout rules of the UI (STYLE.md §7.1, §7.4, habit 9), checked on the source text:
// the backend is reached only through lib/api (the only place that may import @tauri-apps/*),
// primitives do not import features, lib does not import routes, cross-feature imports stay
// within an allow-list, table rows fetch nothing, no drawer folders, and every source file says why it exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** Which other features a feature may import (besides the shared ones). Keep this short.
 *  `explorer` is the list-page state (URL filters, search, paging, live "N new") of Logs, Traces and Sessions;
 *  the first-run `welcome` offers Setup's settings writer and runs the importer's job with its progress view;
 *  `team` draws its machines' cost per day with the costs' daily series. */
const SHARED_FEATURES = ['time-range', 'explorer'];
const ALLOWED_FEATURE_IMPORTS: Record<string, string[]> = {
  dashboards: ['metrics', 'costs'],
  team: ['costs'],
  welcome: ['importer', 'setup'],
};

function walk(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const sourceFiles = walk(SRC).filter((path) => /\.(ts|svelte)$/.test(path));

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\bimport\s+['"]([^'"]+)['"]/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

/** Path inside src/ that a relative import points to, or null for packages. */
function target(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return toPosix(relative(SRC, resolve(dirname(file), specifier)));
}

function featureOf(srcPath: string): string | null {
  const match = /^lib\/features\/([^/]+)/.exec(srcPath);
  return match ? (match[1] as string) : null;
}

function tauriImportViolations(files: { path: string; text: string }[]): string[] {
  return files
    .filter((file) => !file.path.startsWith('lib/api/'))
    .filter((file) => specifiers(file.text).some((specifier) => specifier.startsWith('@tauri-apps/')))
    .map((file) => file.path);
}

const files = sourceFiles.map((path) => ({ path: toPosix(relative(SRC, path)), absolute: path, text: readFileSync(path, 'utf8') }));

describe('architecture', () => {
  it('imports @tauri-apps/* only inside src/lib/api/', () => {
    expect(tauriImportViolations(files)).toEqual([]);
    // the check itself catches an offender
    expect(tauriImportViolations([{ path: 'lib/features/logs/X.svelte', text: "import { invoke } from '@tauri-apps/api/core';" }])).toEqual(['lib/features/logs/X.svelte']);
    expect(tauriImportViolations([{ path: 'routes/Y.ts', text: "const m = await import('@tauri-apps/api/event');" }])).toEqual(['routes/Y.ts']);
  });

  it('keeps the transports behind the client: only lib/api uses http.ts or tauri.ts', () => {
    const offenders = files.filter(
      (file) =>
        !file.path.startsWith('lib/api/') &&
        specifiers(file.text).some((specifier) => /lib\/api\/(http|tauri|live-socket)$/.test(target(file.absolute, specifier) ?? '')),
    );
    expect(offenders.map((file) => file.path)).toEqual([]);
  });

  it('lib/components imports no feature and no route', () => {
    const offenders = files
      .filter((file) => file.path.startsWith('lib/components/'))
      .flatMap((file) => specifiers(file.text).map((specifier) => [file.path, target(file.absolute, specifier)] as const))
      .filter(([, path]) => path !== null && (path.startsWith('lib/features/') || path.startsWith('routes/')));
    expect(offenders).toEqual([]);
  });

  it('nothing under lib/ imports routes/, and lib/api imports nothing else of the app', () => {
    const offenders = files
      .filter((file) => file.path.startsWith('lib/'))
      .flatMap((file) => specifiers(file.text).map((specifier) => [file.path, target(file.absolute, specifier)] as const))
      .filter(([from, path]) => path !== null && (path.startsWith('routes/') || (from.startsWith('lib/api/') && !path.startsWith('lib/api/'))));
    expect(offenders).toEqual([]);
  });

  it('features import other features only within the allow-list', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const from = featureOf(file.path);
      if (!from || file.path.endsWith('.test.ts')) continue;
      for (const specifier of specifiers(file.text)) {
        const to = featureOf(target(file.absolute, specifier) ?? '');
        if (!to || to === from || SHARED_FEATURES.includes(to)) continue;
        if (!(ALLOWED_FEATURE_IMPORTS[from] ?? []).includes(to)) offenders.push(`${file.path} -> features/${to}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('table rows draw what their list gives them: no *Row.svelte calls the API', () => {
    const rows = files.filter((file) => /Row\.svelte$/.test(file.path));
    expect(rows.length).toBeGreaterThan(0);
    const offenders = rows.filter((file) => specifiers(file.text).some((specifier) => (target(file.absolute, specifier) ?? '').startsWith('lib/api/client')));
    expect(offenders.map((file) => file.path)).toEqual([]);
  });

  it('has no drawer folders (utils, helpers, common, misc, shared, manager)', () => {
    const directories = new Set(files.map((file) => dirname(file.path)));
    const drawers = [...directories].filter((directory) => directory.split('/').some((part) => /^(utils?|helpers?|common|misc|shared|managers?)$/.test(part)));
    expect(drawers).toEqual([]);
  });

  it('opens every source file with a comment on why it exists', () => {
    const missing = files
      .filter((file) => !file.path.endsWith('.test.ts') && !file.path.endsWith('.d.ts'))
      .filter((file) => !/^\s*(\/\/|\/\*|<!--)/.test(file.text))
      .map((file) => file.path);
    expect(missing).toEqual([]);
  });

  it('has only the engine-generated *.gen.ts files, each marked as generated', () => {
    const generated = files.filter((file) => /\.gen\.ts$/.test(file.path)).map((file) => file.path).sort();
    expect(generated).toEqual(['lib/api/operations.gen.ts', 'lib/api/types.gen.ts', 'lib/api/vocabulary.gen.ts']);
    for (const path of generated) expect(readFileSync(join(SRC, path), 'utf8').split('\n')[0], path).toMatch(/generated .*Do not edit/i);
  });

  it('types.gen.ts (ts-rs) is a plain list of exported type declarations with the wire types the UI uses', () => {
    const text = readFileSync(join(SRC, 'lib/api/types.gen.ts'), 'utf8');
    expect(text).not.toMatch(/^\s*(import|interface|export interface|export const|export function|export enum|class)\b/m);
    const declarations = text.match(/^export type \w+/gm) ?? [];
    expect(declarations.length).toBeGreaterThan(50);
    for (const name of ['TraceOverview', 'Span', 'LogRecord', 'MetricDataPoint', 'TimeSeries', 'Session', 'TranscriptMessage', 'TranscriptResponse', 'Stats', 'Dashboard', 'DashboardWidget', 'WidgetConfig', 'DashboardWithWidgets', 'TokenCounts', 'SpendGroup', 'UnpricedModel', 'SpendResponse', 'SpendSummary', 'BudgetStatus', 'BudgetResponse', 'UsageBlock', 'Settings', 'SettingsUpdate', 'Ports', 'ToolSetupStatus', 'ScanToolResult', 'ScanResponse', 'ImportProgress', 'FileProblem', 'ImportResult', 'ImportToolResult', 'ImportJob', 'ErrorCode', 'ErrorBody', 'ExportRequest', 'ExportResult', 'DeleteRequest', 'DeleteCounts']) {
      expect(text, name).toMatch(new RegExp(`^export type ${name} = `, 'm'));
    }
  });
});
