// Builders for the few chart shapes the UI draws (stacked/grouped bars over time or categories,
// horizontal ranking bars), so features describe data and not ECharts details.
import type { EChartsCoreOption } from 'echarts/core';

export type ChartSeries = { name: string; values: number[] };

export type BarChartInput = {
  categories: string[];
  series: ChartSeries[];
  stacked?: boolean;
  valueFormatter?: (value: number) => string;
  axisFormatter?: (value: number) => string;
};

/** Deterministic palette so a tool or model keeps its color across charts. */
export const PALETTE = ['#4c6ef5', '#f08c00', '#12b886', '#e64980', '#7950f2', '#15aabf', '#fab005', '#868e96', '#82c91e', '#fd7e14'];

export function barChartOption(input: BarChartInput): EChartsCoreOption {
  const format = input.valueFormatter ?? ((value: number) => String(value));
  return {
    backgroundColor: 'transparent',
    color: PALETTE,
    aria: { enabled: true },
    animation: false,
    grid: { left: 8, right: 16, top: input.series.length > 1 ? 36 : 12, bottom: 8, containLabel: true },
    legend: input.series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value: unknown) => format(Number(value)) },
    xAxis: { type: 'category', data: input.categories, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', axisLabel: { formatter: input.axisFormatter ?? format } },
    series: input.series.map((series) => ({
      name: series.name,
      type: 'bar',
      stack: input.stacked === false ? undefined : 'total',
      emphasis: { focus: 'series' },
      data: series.values,
    })),
  };
}

export type RankingInput = { labels: string[]; values: number[]; valueFormatter?: (value: number) => string };

/** Horizontal bars, largest first (top models, top projects). */
export function rankingChartOption(input: RankingInput): EChartsCoreOption {
  const format = input.valueFormatter ?? ((value: number) => String(value));
  return {
    backgroundColor: 'transparent',
    color: PALETTE,
    aria: { enabled: true },
    animation: false,
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value: unknown) => format(Number(value)) },
    xAxis: { type: 'value', axisLabel: { formatter: format } },
    yAxis: { type: 'category', data: [...input.labels].reverse(), axisLabel: { width: 160, overflow: 'truncate' } },
    series: [{ type: 'bar', data: [...input.values].reverse(), colorBy: 'data' }],
  };
}
