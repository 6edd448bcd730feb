// Which locale Intl gets. WebKitGTK reports navigator.language = "C" (or "POSIX", "en_US.UTF-8")
// on minimal Linux setups, and `new Intl.DateTimeFormat("C")` throws a RangeError; so every
// locale passes through here, and every Intl constructor is wrapped to fall back instead of throwing.

export const FALLBACK_LOCALE = 'en-US';

/** Maps a raw platform locale to a BCP 47 tag Intl accepts, or the fallback. */
export function resolveLocale(raw: string | null | undefined): string {
  if (!raw) return FALLBACK_LOCALE;
  const trimmed = raw.trim();
  if (/^(c|posix)([._@].*)?$/i.test(trimmed)) return FALLBACK_LOCALE;
  // POSIX style "de_DE.UTF-8@euro" -> "de-DE"
  const cleaned = trimmed.replace(/[.@].*$/, '').replace(/_/g, '-');
  try {
    const [canonical] = Intl.getCanonicalLocales(cleaned);
    if (!canonical) return FALLBACK_LOCALE;
    const supported = Intl.DateTimeFormat.supportedLocalesOf([canonical]);
    return supported[0] ?? FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}

let override: string | null = null;

/** Tests (and a future settings option) can force a locale; null returns to the platform's. */
export function setLocaleOverride(locale: string | null): void {
  override = locale;
}

export function currentLocale(): string {
  if (override !== null) return resolveLocale(override);
  const platform = typeof navigator !== 'undefined' ? navigator.language : undefined;
  return resolveLocale(platform);
}

/** `new Intl.DateTimeFormat` that never throws: bad locale -> fallback locale, bad zone -> UTC. */
export function safeDateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const attempts: [string, Intl.DateTimeFormatOptions][] = [
    [locale, options],
    [FALLBACK_LOCALE, options],
    [FALLBACK_LOCALE, { ...options, timeZone: 'UTC' }],
  ];
  for (const [tag, opts] of attempts) {
    try {
      return new Intl.DateTimeFormat(tag, opts);
    } catch {
      // try the next, safer combination
    }
  }
  return new Intl.DateTimeFormat();
}

/** `new Intl.NumberFormat` that never throws. */
export function safeNumberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, options);
  } catch {
    try {
      return new Intl.NumberFormat(FALLBACK_LOCALE, options);
    } catch {
      return new Intl.NumberFormat();
    }
  }
}

/** The machine's IANA time zone, or UTC when the platform cannot say. */
export function machineTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat(FALLBACK_LOCALE, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
