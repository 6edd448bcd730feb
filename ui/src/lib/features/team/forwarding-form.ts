// Turns the Settings page's forwarding form into the `PUT /api/forwarding` body, or says what is
// wrong: the header lines (`Name=Value`, one a line), the URL, a destination already in force. The
// engine applies the same rules; its 400 should not be the first the user hears of them. The body
// lists the destinations added in the app only (startup ones are always in force), each without
// `headers` so the engine keeps the values it stored (the API never sends them back).
import type { DestinationStatus, DestinationUpdate, ForwardHeader, ForwardProtocol, ForwardingUpdate } from '../../api/types.gen';

export type HeaderLines = { ok: true; headers: ForwardHeader[] } | { ok: false; errors: string[] };

/** An HTTP header name (RFC 9110 token): what the engine's HTTP client accepts. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, spaces and tabs: what a header value may carry. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** One header a line, `Name=Value` (the value may hold `=`); blank lines are skipped. Errors name their line (from 1). */
export function parseHeaderLines(text: string): HeaderLines {
  const headers: ForwardHeader[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const at = `Line ${index + 1}`;
    const equals = line.indexOf('=');
    if (equals < 0) {
      errors.push(`${at}: write the header as Name=Value (no “=” found).`);
      return;
    }
    const name = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (name === '') errors.push(`${at}: the header name before “=” is empty.`);
    else if (!HEADER_NAME.test(name)) errors.push(`${at}: “${name}” is not a header name (no spaces, colons or quotes).`);
    else if (!HEADER_VALUE.test(value)) errors.push(`${at}: the value of ${name} has characters a header cannot carry.`);
    else headers.push({ name, value });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, headers };
}

/** The URL as the engine stores it: trimmed, without trailing slashes. */
export function normaliseUrl(text: string): string {
  return text.trim().replace(/\/+$/, '');
}

/** Why `text` cannot be a destination's base URL, or null when it can. */
export function urlError(text: string): string | null {
  const url = normaliseUrl(text);
  if (url === '') return 'Enter the address of the server or collector.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Enter a full URL, e.g. https://observer.example.com:4318.';
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') return 'Use an http:// or https:// URL with a host.';
  if (parsed.username !== '' || parsed.password !== '') return 'Put credentials in a header (Authorization=…), not in the URL.';
  return null;
}

export function protocolLabel(protocol: ForwardProtocol): string {
  return protocol === 'grpc' ? 'gRPC' : 'HTTP';
}

/** The destinations added in the app, as the update lists them: without headers, so their stored values are kept. */
export function keptDestinations(destinations: DestinationStatus[]): DestinationUpdate[] {
  return destinations.filter((destination) => destination.source === 'settings').map(({ url, protocol }) => ({ url, protocol }));
}

export type DestinationDraft = { url: string; protocol: ForwardProtocol; headers: string };

export type DestinationErrors = { url?: string; headers?: string[] };

export type AddResult = { ok: true; update: ForwardingUpdate } | { ok: false; errors: DestinationErrors };

/** The update that adds `draft` to the destinations in force, or what is wrong with it. */
export function addDestination(draft: DestinationDraft, destinations: DestinationStatus[]): AddResult {
  const errors: DestinationErrors = {};
  const url = normaliseUrl(draft.url);
  const problem = urlError(url);
  if (problem) errors.url = problem;
  const known = destinations.find((destination) => normaliseUrl(destination.url) === url && destination.protocol === draft.protocol);
  if (!problem && known) {
    errors.url =
      known.source === 'startup'
        ? `The app already forwards to this URL over ${protocolLabel(draft.protocol)}: it is set where the app starts.`
        : `Already forwarding to this URL over ${protocolLabel(draft.protocol)}: remove it first to change its headers.`;
  }
  const headers = parseHeaderLines(draft.headers);
  if (!headers.ok) errors.headers = headers.errors;
  if (errors.url || errors.headers || !headers.ok) return { ok: false, errors };
  return { ok: true, update: { destinations: [...keptDestinations(destinations), { url, protocol: draft.protocol, headers: headers.headers }] } };
}

/** The update that stops forwarding to `removed` (a destination added in the app). */
export function removeDestination(removed: DestinationStatus, destinations: DestinationStatus[]): ForwardingUpdate {
  return {
    destinations: keptDestinations(destinations.filter((destination) => !(destination.url === removed.url && destination.protocol === removed.protocol && destination.source === removed.source))),
  };
}
