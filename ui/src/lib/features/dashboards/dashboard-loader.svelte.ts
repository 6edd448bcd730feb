// What the dashboard page shows, loaded apart from how it is laid out: the dashboard by id (or the
// default one, created on the first visit; an unknown id goes back to the default), the list of
// dashboards, and its widgets' data for the selected range — re-queried when what the widgets show,
// the range or the time zone changes (not when a widget only moves), on live data, and every 10 s
// while the range moves with the clock. Created in a component's script, whose lifetime its effects share.
import { untrack } from 'svelte';
import { api } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { DashboardWithWidgets } from '../../api/types.gen';
import { startLiveRefresh } from '../../live/live-refresh';
import { Resource } from '../../resource/resource.svelte';
import { navigate } from '../../router/location.svelte';
import type { TimeRange } from '../time-range/time-range.svelte';
import { userTimeZone } from '../time-range/time-zone.svelte';
import { loadDashboardData } from './dashboard-data';
import { ensureDefaultDashboard } from './default-dashboard';

export const DASHBOARD_POLL_MS = 10_000;

export class DashboardLoader {
  /** The dashboard on screen; edits replace it (see DashboardEditor). */
  dashboard = $state.raw<DashboardWithWidgets | null>(null);
  error = $state.raw<Error | null>(null);
  readonly list = new Resource(() => api.dashboards.list());
  readonly data = new Resource(async () => (this.dashboard ? loadDashboardData(this.dashboard.widgets, this.range.resolve(), userTimeZone.value) : undefined));
  readonly range: TimeRange;
  readonly #id: () => string | undefined;
  // what the widgets show (type and settings), but not where they are
  readonly #dataSignature = $derived(this.dashboard ? JSON.stringify(this.dashboard.widgets.map((widget) => [widget.id, widget.widgetType, widget.config])) : '');

  /** `id`: the dashboard asked for in the URL, none for the default one. */
  constructor(id: () => string | undefined, range: TimeRange) {
    this.#id = id;
    this.range = range;

    $effect(() => {
      const wanted = id();
      untrack(() => void this.load(wanted));
    });

    $effect(() => {
      void this.#dataSignature;
      void range.selection;
      void userTimeZone.value;
      untrack(() => void this.data.refresh());
    });

    $effect(() =>
      untrack(() =>
        startLiveRefresh({
          subscribe: api.live.subscribe,
          types: ['traces', 'metrics', 'logs', 'usage'],
          pollMs: DASHBOARD_POLL_MS,
          canPoll: () => range.isRelative,
          onRefresh: () => void this.data.refresh(),
        }),
      ),
    );
  }

  /** Loads the dashboard asked for (again), and the list beside it. */
  async load(id: string | undefined = this.#id()): Promise<void> {
    this.error = null;
    try {
      this.dashboard = id ? await api.dashboards.get({ id }) : await ensureDefaultDashboard();
      void this.list.refresh();
    } catch (error) {
      if (id && error instanceof ApiError && error.code === 'not_found') {
        navigate('/dashboards', { replace: true });
        return;
      }
      this.error = error instanceof Error ? error : new Error(String(error));
    }
  }
}
