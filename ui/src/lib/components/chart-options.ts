// Builders for the few chart shapes the UI draws (stacked/grouped bars over time or categories,
// horizontal ranking bars, lines of values reported at irregular times), so features describe data
// and not ECharts details. A series or bar may
// bring its own colour (a tool's, from tool-identity.ts); the rest take the palette in order.
// Nothing animates, so a chart looks the same in every screenshot.
import type { EChartsCoreOption } from 'echarts/core';

export type ChartSeries = { name: string; values: number[]; color?: string };

export type BarChartInput = {
  /** One per bar position; shown in the tooltip. */
  categories: string[];
  /** What the axis shows under each category (defaults to the category); '' leaves a position unlabelled. */
  axisLabels?: string[];
  series: ChartSeries[];
  stacked?: boolean;
  valueFormatter?: (value: number) => string;
  axisFormatter?: (value: number) => string;
};

/** Palette for series without a colour of their own (models, projects, metric labels). */
export const PALETTE = ['#4c6ef5', '#e8590c', '#0ca678', '#d6336c', '#7950f2', '#1098ad', '#b7791f', '#868e96', '#5c940d', '#d9480f'];

export function barChartOption(input: BarChartInput): EChartsCoreOption {
  const format = input.valueFormatter ?? ((value: number) => String(value));
  const axisLabels = input.axisLabels;
  return {
    backgroundColor: 'transparent',
    color: PALETTE,
    aria: { enabled: true },
    animation: false,
    grid: { left: 8, right: 16, top: input.series.length > 1 ? 36 : 12, bottom: 8, containLabel: true },
    legend: input.series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value: unknown) => format(Number(value)) },
    xAxis: {
      type: 'category',
      data: input.categories,
      axisTick: { alignWithLabel: true },
      axisLabel: axisLabels ? { interval: 0, hideOverlap: true, formatter: (_value: string, index: number) => axisLabels[index] ?? '' } : { hideOverlap: true },
    },
    yAxis: { type: 'value', axisLabel: { formatter: input.axisFormatter ?? format } },
    series: input.series.map((series) => ({
      name: series.name,
      type: 'bar',
      stack: input.stacked === false ? undefined : 'total',
      emphasis: { focus: 'series' },
      itemStyle: series.color ? { color: series.color } : undefined,
      data: series.values,
    })),
  };
}

export type RankingBar = { label: string; value: number; color?: string; /** shown at the bar's end instead of the value, e.g. "no price" */ note?: string };

export type RankingInput = { bars: RankingBar[]; valueFormatter?: (value: number) => string };

/** Horizontal bars, first bar on top (top models, top projects). A bar with a note shows it as its label. */
export function rankingChartOption(input: RankingInput): EChartsCoreOption {
  const format = input.valueFormatter ?? ((value: number) => String(value));
  const bars = [...input.bars].reverse();
  return {
    backgroundColor: 'transparent',
    color: PALETTE,
    aria: { enabled: true },
    animation: false,
    grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex: number } | undefined;
        const bar = first ? bars[first.dataIndex] : undefined;
        return bar ? `${bar.label}: ${bar.note ?? format(bar.value)}` : '';
      },
    },
    xAxis: { type: 'value', axisLabel: { formatter: format } },
    yAxis: { type: 'category', data: bars.map((bar) => bar.label), axisLabel: { width: 160, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        colorBy: 'data',
        data: bars.map((bar, index) => ({
          value: bar.value,
          itemStyle: { color: bar.color ?? PALETTE[(bars.length - 1 - index) % PALETTE.length] },
          label: { show: true, position: 'right', formatter: () => bar.note ?? format(bar.value) },
        })),
      },
    ],
  };
}

/** A value reported at a moment: [epoch milliseconds, value]. */
export type TimePoint = [number, number];

export type LineChartInput = {
  series: { name: string; points: TimePoint[]; color?: string }[];
  /** The time axis spans [from, to] (the range asked for), not only the points. */
  from: number;
  to: number;
  /** The value axis runs from 0 to at least this (a limit's 100 %). */
  yMax?: number;
  valueFormatter?: (value: number) => string;
  /** A moment in the tooltip, and under the axis. */
  timeFormatter: (time: number) => string;
  axisTimeFormatter?: (time: number) => string;
  /** A value holds until the next report (a step), rather than moving straight to it. */
  stepped?: boolean;
};

/** Lines over a time axis for values reported at irregular moments (a plan limit's use), each report a dot. */
export function lineChartOption(input: LineChartInput): EChartsCoreOption {
  const format = input.valueFormatter ?? ((value: number) => String(value));
  const axisTime = input.axisTimeFormatter ?? input.timeFormatter;
  const highest = Math.max(0, ...input.series.flatMap((series) => series.points.map((point) => point[1])));
  const escape = (text: string) => text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
  return {
    backgroundColor: 'transparent',
    color: PALETTE,
    aria: { enabled: true },
    animation: false,
    grid: { left: 8, right: 24, top: input.series.length > 1 ? 36 : 12, bottom: 8, containLabel: true },
    legend: input.series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const item = params as { seriesName?: string; value?: TimePoint };
        if (!item.value) return '';
        const name = input.series.length > 1 && item.seriesName ? `${escape(item.seriesName)}: ` : '';
        return `${escape(input.timeFormatter(item.value[0]))}<br/>${name}${escape(format(item.value[1]))}`;
      },
    },
    xAxis: { type: 'time', min: input.from, max: input.to, axisLabel: { hideOverlap: true, formatter: (value: number) => axisTime(value) } },
    yAxis: { type: 'value', min: 0, max: input.yMax === undefined ? undefined : Math.max(input.yMax, Math.ceil(highest)), axisLabel: { formatter: format } },
    series: input.series.map((series) => ({
      name: series.name,
      type: 'line',
      step: input.stepped ? 'end' : undefined,
      showSymbol: true,
      symbolSize: 6,
      itemStyle: series.color ? { color: series.color } : undefined,
      lineStyle: series.color ? { color: series.color, width: 2 } : { width: 2 },
      data: series.points,
    })),
  };
}
