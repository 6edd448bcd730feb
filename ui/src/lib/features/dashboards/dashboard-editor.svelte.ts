// Changes to the dashboard on screen, shown at once and saved behind: move, resize, remove and add
// widgets, close the gaps and rename when editing ends, make it the default, delete it. A change the
// API refuses is rolled back, and `notice` says what was not saved. The layout rules are grid-layout's.
import { api } from '../../api/client';
import type { DashboardWidget, DashboardWithWidgets } from '../../api/types.gen';
import type { DashboardLoader } from './dashboard-loader.svelte';
import { changedPositions, compactRows, findFreeSlot, fits, moveBox, resizeBox, type Box } from './grid-layout';
import type { NewWidget } from './widget-catalog';

export type Cell = { gridColumn: number; gridRow: number };

function boxes(widgets: DashboardWidget[]): Box[] {
  return widgets.map(({ id, gridColumn, gridRow, colSpan, rowSpan }) => ({ id, gridColumn, gridRow, colSpan, rowSpan }));
}

function withLayout(current: DashboardWithWidgets, layout: Box[]): DashboardWithWidgets {
  const byId = new Map(layout.map((box) => [box.id, box]));
  return { ...current, widgets: current.widgets.map((widget) => ({ ...widget, ...(byId.get(widget.id) ?? {}) })) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class DashboardEditor {
  /** What the last refused change was; '' when there is nothing to tell. */
  notice = $state('');
  readonly #loader: DashboardLoader;

  constructor(loader: DashboardLoader) {
    this.#loader = loader;
  }

  move(id: string, gridColumn: number, gridRow: number): void {
    const before = this.#loader.dashboard;
    if (!before) return;
    const layout = moveBox(boxes(before.widgets), id, gridColumn, gridRow);
    const positions = changedPositions(boxes(before.widgets), layout);
    if (positions.length === 0) return;
    void this.#persist(before, withLayout(before, layout), () => api.widgets.positions({ id: before.id, positions }), 'The new position was not saved');
  }

  resize(id: string, colSpan: number, rowSpan: number): void {
    const before = this.#loader.dashboard;
    if (!before) return;
    const layout = resizeBox(boxes(before.widgets), id, colSpan, rowSpan);
    const resized = layout.find((box) => box.id === id);
    if (!resized) return;
    const others = changedPositions(boxes(before.widgets), layout).filter((position) => position.id !== id);
    void this.#persist(
      before,
      withLayout(before, layout),
      async () => {
        await api.widgets.update({ id: before.id, widgetId: id, colSpan: resized.colSpan, rowSpan: resized.rowSpan, gridColumn: resized.gridColumn, gridRow: resized.gridRow });
        if (others.length > 0) await api.widgets.positions({ id: before.id, positions: others });
      },
      'The new size was not saved',
    );
  }

  remove(id: string): void {
    const before = this.#loader.dashboard;
    if (!before) return;
    const after = { ...before, widgets: before.widgets.filter((widget) => widget.id !== id) };
    void this.#persist(before, after, () => api.widgets.delete({ id: before.id, widgetId: id }), 'The widget was not removed');
  }

  /** Adds a widget at the cell asked for, or the first free one when it does not fit there; true once saved. */
  async add(widget: NewWidget, at: Cell | null): Promise<boolean> {
    const current = this.#loader.dashboard;
    if (!current) return false;
    const layout = boxes(current.widgets);
    let position = at;
    if (position && !fits(layout, { id: '\u0000new', ...position, colSpan: widget.colSpan, rowSpan: widget.rowSpan })) {
      this.notice = 'The widget does not fit there; it was placed in the first free spot.';
      position = null;
    }
    const slot = position ?? findFreeSlot(layout, widget.colSpan, widget.rowSpan);
    try {
      const created = await api.widgets.create({ id: current.id, ...widget, ...slot });
      this.#loader.dashboard = { ...current, widgets: [...current.widgets, created] };
      return true;
    } catch (error) {
      this.notice = `The widget was not added: ${messageOf(error)}`;
      return false;
    }
  }

  /** Editing ends: close the empty rows, and save a new name or description. */
  async finish(nameDraft: string, descriptionDraft: string): Promise<void> {
    const before = this.#loader.dashboard;
    if (!before) return;
    const layout = compactRows(boxes(before.widgets));
    const positions = changedPositions(boxes(before.widgets), layout);
    if (positions.length > 0) {
      await this.#persist(before, withLayout(before, layout), () => api.widgets.positions({ id: before.id, positions }), 'The layout was not saved');
    }
    const name = nameDraft.trim();
    const description = descriptionDraft.trim();
    if (name && (name !== before.name || description !== (before.description ?? ''))) {
      try {
        const updated = await api.dashboards.update({ id: before.id, name, description });
        const current = this.#loader.dashboard;
        if (current) this.#loader.dashboard = { ...current, name: updated.name, description: updated.description };
        void this.#loader.list.refresh();
      } catch (error) {
        this.notice = `The name was not saved: ${messageOf(error)}`;
      }
    }
  }

  async makeDefault(): Promise<void> {
    const current = this.#loader.dashboard;
    if (!current) return;
    try {
      await api.dashboards.setDefault({ id: current.id });
      const now = this.#loader.dashboard;
      if (now) this.#loader.dashboard = { ...now, isDefault: true };
      void this.#loader.list.refresh();
    } catch (error) {
      this.notice = `Could not make this the default: ${messageOf(error)}`;
    }
  }

  /** Deletes the dashboard on screen; true once deleted. */
  async delete(): Promise<boolean> {
    const current = this.#loader.dashboard;
    if (!current) return false;
    try {
      await api.dashboards.delete({ id: current.id });
      return true;
    } catch (error) {
      this.notice = `The dashboard was not deleted: ${messageOf(error)}`;
      return false;
    }
  }

  async #persist(before: DashboardWithWidgets, after: DashboardWithWidgets, save: () => Promise<unknown>, failure: string): Promise<void> {
    this.#loader.dashboard = after;
    try {
      await save();
    } catch (error) {
      this.#loader.dashboard = before;
      this.notice = `${failure}: ${messageOf(error)}`;
    }
  }
}
