// The captured CLI fixtures: the time span they cover (from the recorded arrival times) and
// replaying one recorded OTLP request with its path and headers (a .bin.gz is gzip'd for storage only).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const QUARTER = 900_000;

/** The fixtures' arrival times widened to quarter hours plus a quarter on each side, as ISO strings. */
export function fixtureRange(fixturesRoot) {
  const times = [];
  for (const run of readdirSync(fixturesRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    const otlp = join(fixturesRoot, run.name, 'otlp');
    if (!existsSync(otlp)) continue;
    for (const name of readdirSync(otlp).filter((file) => file.endsWith('.meta.json'))) {
      times.push(JSON.parse(readFileSync(join(otlp, name), 'utf8')).time * 1000);
    }
  }
  if (times.length === 0) throw new Error(`no fixtures under ${fixturesRoot}`);
  const from = Math.floor(Math.min(...times) / QUARTER) * QUARTER - QUARTER;
  const to = Math.ceil(Math.max(...times) / QUARTER) * QUARTER + QUARTER;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), latest: Math.max(...times) };
}

/** Every recorded OTLP request (`<run>/otlp/NNNN-<signal>` without extension), run by run in order. */
export function fixtureRequests(fixturesRoot) {
  const bases = [];
  for (const run of readdirSync(fixturesRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
    const otlp = join(fixturesRoot, run, 'otlp');
    if (!existsSync(otlp)) continue;
    for (const name of readdirSync(otlp).filter((file) => file.endsWith('.meta.json')).sort()) bases.push(join(otlp, name.slice(0, -'.meta.json'.length)));
  }
  return bases;
}

export function fixturesRootOf(fixtureBase) {
  return dirname(dirname(dirname(fixtureBase)));
}

/** POSTs `<base>.bin` (or `.bin.gz`, unzipped) with the path and headers of `<base>.meta.json`. */
export async function postFixture(otlpBase, fixtureBase) {
  const meta = JSON.parse(readFileSync(`${fixtureBase}.meta.json`, 'utf8'));
  const headers = Object.fromEntries(Object.entries(meta.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
  const body = existsSync(`${fixtureBase}.bin`) ? readFileSync(`${fixtureBase}.bin`) : gunzipSync(readFileSync(`${fixtureBase}.bin.gz`));
  const send = { 'content-type': headers['content-type'] };
  if (headers['content-encoding']) send['content-encoding'] = headers['content-encoding'];
  const response = await fetch(new URL(meta.path, otlpBase), { method: 'POST', headers: send, body });
  if (!response.ok) throw new Error(`POST ${meta.path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return meta.path;
}
