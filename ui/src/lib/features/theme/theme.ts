// Light/dark theme: follows the system (prefers-color-scheme) unless the user picked one, which
// is saved in localStorage. The effective theme is written to <html data-theme> for CSS and charts.

export type ThemeChoice = 'system' | 'light' | 'dark';
export type EffectiveTheme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'ai-observer-theme';

export function loadThemeChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return stored === 'light' || stored === 'dark' || stored === 'system' ? stored : 'system';
  } catch {
    return 'system';
  }
}

export function saveThemeChoice(choice: ThemeChoice): void {
  try {
    localStorage.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // not persisted; still applied for this visit
  }
}

function systemPrefersDark(): boolean {
  try {
    return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  } catch {
    return false;
  }
}

export function effectiveTheme(choice: ThemeChoice, prefersDark: boolean = systemPrefersDark()): EffectiveTheme {
  if (choice === 'system') return prefersDark ? 'dark' : 'light';
  return choice;
}

export function applyTheme(choice: ThemeChoice): EffectiveTheme {
  const theme = effectiveTheme(choice);
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  return theme;
}

/** Re-applies the theme when the system preference changes while the choice is 'system'. */
export function followSystemTheme(getChoice: () => ThemeChoice): () => void {
  if (typeof matchMedia !== 'function') return () => {};
  let query: MediaQueryList;
  try {
    query = matchMedia('(prefers-color-scheme: dark)');
  } catch {
    return () => {};
  }
  const onChange = () => {
    if (getChoice() === 'system') applyTheme('system');
  };
  query.addEventListener?.('change', onChange);
  return () => query.removeEventListener?.('change', onChange);
}
