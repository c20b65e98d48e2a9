import { createRequire } from "node:module";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as echarts from "echarts";

/** A rendered chart: the PNG for chat and files, the SVG it came from for the web. */
export interface Chart {
  readonly png: Buffer;
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

export interface ChartSize {
  readonly width?: number;
  readonly height?: number;
}

export const FONT_FAMILY = "DejaVu Sans";

const require = createRequire(import.meta.url);
// Fonts come from the npm package, never from the machine, so a chart reads the same everywhere.
const FONT_DIR = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => path.join(FONT_DIR, f));

/**
 * Renders an ECharts option server-side: SVG from ECharts' SSR renderer, then PNG through resvg.
 * Animation is off, since there is no one to watch it.
 * @example const { png } = renderChart({ xAxis: { type: "category", data: ["a"] }, yAxis: {}, series: [{ type: "bar", data: [1] }] })
 */
export function renderChart(option: echarts.EChartsCoreOption, size: ChartSize = {}): Chart {
  const width = size.width ?? 1000;
  const height = size.height ?? 600;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT_FAMILY }, ...option });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, {
      font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
      background: "#ffffff",
    })
      .render()
      .asPng();
    return { png, svg, width, height };
  } finally {
    chart.dispose();
  }
}
