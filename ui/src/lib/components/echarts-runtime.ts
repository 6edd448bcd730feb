// The charting library, loaded on demand (dynamic import from Chart.svelte) so the first page
// paint does not wait for it. Only the chart types and components the UI uses are registered.
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsType } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type ChartSize = { width?: number; height?: number };

export function createChart(element: HTMLElement, theme: 'light' | 'dark', size: ChartSize = {}): EChartsType {
  return init(element, theme === 'dark' ? 'dark' : undefined, { renderer: 'svg', ...size });
}
