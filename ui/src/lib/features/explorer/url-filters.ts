// The list pages keep their filters in the URL so a link or a reload shows the same list: read the
// named parameters once when the page opens, and write them back (an empty value drops its key).

/** The value of each key in a query string (`?service=codex`), '' for an absent one. */
export function readFilterParams<K extends string>(search: string, keys: readonly K[]): Record<K, string> {
  const params = new URLSearchParams(search);
  return Object.fromEntries(keys.map((key) => [key, params.get(key) ?? ''])) as Record<K, string>;
}

/** Sets each non-empty value and deletes each empty one; other parameters stay as they are. */
export function writeFilterParams(params: URLSearchParams, values: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
}
