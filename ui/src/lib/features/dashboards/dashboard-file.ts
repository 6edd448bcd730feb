// Dashboard JSON export/import (schemaVersion 1, as the original app): name, description and
// widgets with type, position, size and settings. Imports are validated before anything is created;
// titles are derived again from type and settings.
import type { DashboardWithWidgets, WidgetConfig } from '../../api/types.gen';
import { GRID_COLUMNS, MAX_ROW_SPAN } from './grid-layout';
import { deriveWidgetTitle, isWidgetType, type WidgetType } from './widget-catalog';

export const DASHBOARD_SCHEMA_VERSION = 1;

export type DashboardFileWidget = {
  widgetType: WidgetType;
  gridColumn: number;
  gridRow: number;
  colSpan: number;
  rowSpan: number;
  config: WidgetConfig;
};

export type DashboardFile = {
  schemaVersion: 1;
  name: string;
  description?: string;
  widgets: DashboardFileWidget[];
};

export type ParsedWidget = DashboardFileWidget & { title: string };

export type ParseResult = { ok: true; name: string; description?: string; widgets: ParsedWidget[] } | { ok: false; errors: string[] };

const CONFIG_STRING_KEYS = ['service', 'metricName', 'breakdownAttribute', 'breakdownValue', 'groupBy'] as const;

export function toDashboardFile(dashboard: DashboardWithWidgets): DashboardFile {
  return {
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    name: dashboard.name,
    ...(dashboard.description ? { description: dashboard.description } : {}),
    widgets: dashboard.widgets
      .filter((widget) => isWidgetType(widget.widgetType))
      .map((widget) => ({
        widgetType: widget.widgetType as WidgetType,
        gridColumn: widget.gridColumn,
        gridRow: widget.gridRow,
        colSpan: widget.colSpan,
        rowSpan: widget.rowSpan,
        config: { ...widget.config },
      })),
  };
}

export function dashboardFileName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'dashboard';
  return `${slug}.dashboard.json`;
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function parseConfig(raw: unknown, where: string, errors: string[]): WidgetConfig {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push(`${where}: config must be an object`);
    return {};
  }
  const record = raw as Record<string, unknown>;
  const config: WidgetConfig = {};
  for (const key of CONFIG_STRING_KEYS) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') errors.push(`${where}: config.${key} must be a string`);
    else config[key] = value;
  }
  if (record.chartStacked !== undefined) {
    if (typeof record.chartStacked !== 'boolean') errors.push(`${where}: config.chartStacked must be true or false`);
    else config.chartStacked = record.chartStacked;
  }
  return config;
}

export function parseDashboardFile(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, errors: ['The file is not valid JSON.'] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: ['The file does not hold a dashboard object.'] };
  const record = raw as Record<string, unknown>;
  const errors: string[] = [];
  if (record.schemaVersion !== DASHBOARD_SCHEMA_VERSION) errors.push(`Unsupported schemaVersion ${String(record.schemaVersion)} (expected 1).`);
  const name = typeof record.name === 'string' ? record.name.trim() : '';
  if (!name) errors.push('The dashboard needs a name.');
  if (name.length > 255) errors.push('The name is longer than 255 characters.');
  if (record.description !== undefined && typeof record.description !== 'string') errors.push('description must be a string.');
  if (!Array.isArray(record.widgets)) errors.push('widgets must be a list.');

  const widgets: ParsedWidget[] = [];
  for (const [index, item] of (Array.isArray(record.widgets) ? record.widgets : []).entries()) {
    const where = `Widget ${index + 1}`;
    if (typeof item !== 'object' || item === null) {
      errors.push(`${where}: not an object`);
      continue;
    }
    const widget = item as Record<string, unknown>;
    if (!isWidgetType(widget.widgetType)) {
      errors.push(`${where}: unknown widgetType ${JSON.stringify(widget.widgetType)}`);
      continue;
    }
    const colSpan = widget.colSpan;
    const gridColumn = widget.gridColumn;
    if (!isInteger(colSpan, 1, GRID_COLUMNS)) errors.push(`${where}: colSpan must be 1..${GRID_COLUMNS}`);
    if (!isInteger(widget.rowSpan, 1, MAX_ROW_SPAN)) errors.push(`${where}: rowSpan must be 1..${MAX_ROW_SPAN}`);
    if (!isInteger(gridColumn, 1, GRID_COLUMNS)) errors.push(`${where}: gridColumn must be 1..${GRID_COLUMNS}`);
    else if (isInteger(colSpan, 1, GRID_COLUMNS) && gridColumn + colSpan - 1 > GRID_COLUMNS) errors.push(`${where}: does not fit in ${GRID_COLUMNS} columns`);
    if (!isInteger(widget.gridRow, 1, 10_000)) errors.push(`${where}: gridRow must be a positive whole number`);
    const config = parseConfig(widget.config, where, errors);
    widgets.push({
      widgetType: widget.widgetType,
      gridColumn: gridColumn as number,
      gridRow: widget.gridRow as number,
      colSpan: colSpan as number,
      rowSpan: widget.rowSpan as number,
      config,
      title: deriveWidgetTitle(widget.widgetType, config),
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, name, ...(typeof record.description === 'string' && record.description ? { description: record.description } : {}), widgets };
}
