/**
 * The dashboard's charts, drawn on the server by Apache ECharts (its server-side SVG renderer): the
 * page ships an SVG per chart and no chart code at all, so the console stays light and the charts
 * show with JavaScript off. Each chart has an accessible description and a table of its figures.
 */
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, AriaComponent, SVGRenderer]);

/** Colours with enough contrast on white, told apart by more than hue (the line chart also uses symbols). */
const PALETTE = ["#0b6e4f", "#1f5fa8", "#a4262c", "#6b4c9a", "#8a5a00"];
const TEXT = "#1d232a";

export interface ChartSeries {
  name: string;
  data: number[];
}

/**
 * A bar or line chart as an SVG string.
 *
 * @example
 * const svg = renderChart({ kind: "bar", categories: ["2027-03", "2027-04"], series: [{ name: "Issued", data: [980, 1010] }], description: "…" });
 */
export function renderChart(args: {
  kind: "bar" | "line";
  categories: string[];
  series: ChartSeries[];
  description: string;
  width?: number;
  height?: number;
  rtl?: boolean;
  horizontal?: boolean;
  format?: (n: number) => string;
}): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: args.width ?? 640, height: args.height ?? 280 });
  const categoryAxis = { type: "category" as const, data: args.categories, inverse: args.horizontal ? true : Boolean(args.rtl), axisLabel: { color: TEXT, hideOverlap: true } };
  const valueAxis = { type: "value" as const, position: args.rtl && !args.horizontal ? ("right" as const) : undefined, axisLabel: { color: TEXT, formatter: args.format }, minInterval: 1 };
  chart.setOption({
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: "system-ui, 'Noto Sans', 'Noto Sans Arabic', sans-serif", color: TEXT },
    aria: { enabled: true, label: { description: args.description } },
    legend: { top: 0, textStyle: { color: TEXT } },
    grid: { left: args.horizontal ? 120 : 56, right: 24, top: 36, bottom: 32, containLabel: false },
    xAxis: args.horizontal ? valueAxis : categoryAxis,
    yAxis: args.horizontal ? categoryAxis : valueAxis,
    series: args.series.map((s, i) => ({
      type: args.kind,
      name: s.name,
      data: s.data,
      ...(args.kind === "line" ? { symbol: ["circle", "rect", "triangle", "diamond"][i % 4], symbolSize: 6 } : {}),
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
