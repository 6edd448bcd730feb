// Builders for the few chart shapes the UI draws (stacked/grouped bars over time or categories,
// horizontal ranking bars), so features describe data and not ECharts details. A series or bar may
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
