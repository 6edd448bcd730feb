// Whether the Overview opens on the first-run welcome. Asked only once the Overview's numbers came
// back empty (nothing in the range nor lately), so a normal start costs nothing extra; then the
// welcome shows when the database holds nothing at all (`stats`: no span, log or metric). It stays
// until the user leaves it — data its own import brings in does not pull it away — and leaving
// lasts as long as this window.
import { api } from '../../api/client';
import type { Stats } from '../../api/types.gen';

export function isEmptyDatabase(stats: Stats): boolean {
  return stats.spanCount === 0 && stats.logCount === 0 && stats.metricCount === 0;
}

const left = $state({ welcome: false });

/** Tests: a new window, where the welcome was not left yet. */
export function forgetLeftWelcome(): void {
  left.welcome = false;
}

export class FirstRun {
  /** unknown until asked; `checking` while stats is on its way */
  state: 'unknown' | 'checking' | 'welcome' | 'overview' = $state(left.welcome ? 'overview' : 'unknown');

  get showsWelcome(): boolean {
    return this.state === 'welcome';
  }

  get checking(): boolean {
    return this.state === 'checking';
  }

  /** Called when the Overview's numbers say nothing was recorded lately: is the database empty? */
  async check(): Promise<void> {
    if (this.state !== 'unknown') return;
    this.state = 'checking';
    try {
      const empty = isEmptyDatabase(await api.stats.get());
      if (this.state === 'checking') this.state = empty ? 'welcome' : 'overview';
    } catch {
      if (this.state === 'checking') this.state = 'overview';
    }
  }

  /** The user left the welcome (skipped it, or opened the Overview after importing). */
  close(): void {
    left.welcome = true;
    this.state = 'overview';
  }
}
