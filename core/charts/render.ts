import { Resvg } from "@resvg/resvg-js";
import type { EChartsCoreOption } from "echarts/core";
import { echarts } from "./echarts.ts";
import { FONT_FAMILY, FONT_FILES } from "./fonts.ts";
import { COLORS } from "./theme.ts";

/** A rendered chart: the PNG for chat and files, the SVG it came from for the web. */
export interface Chart {
  readonly png: Buffer;
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** Pixel size of a chart; 1000x600 when left out (a phone held sideways, a chat preview). */
export interface ChartSize {
  readonly width?: number;
  readonly height?: number;
}

export const DEFAULT_SIZE = { width: 1000, height: 600 } as const;

/**
 * Renders any ECharts option on the server: ECharts' SSR renderer writes SVG, resvg turns it into PNG with
 * the shipped DejaVu font. Animation is switched off (nobody watches a PNG animate) and times are UTC.
 * @example
 * const { png } = renderChart(
 *   { xAxis: { type: "category", data: ["a", "b"] }, yAxis: {}, series: [{ type: "bar", data: [1, 2] }] },
 *   { width: 600, height: 400 },
 * );
 */
export function renderChart(option: EChartsCoreOption, size: ChartSize = {}): Chart {
  const { width, height } = chartSize(size);
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption({
      animation: false,
      useUTC: true,
      backgroundColor: COLORS.background,
      textStyle: { fontFamily: FONT_FAMILY, color: COLORS.text },
      ...option,
    });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  return { png: svgToPng(svg), svg, width, height };
}

/**
 * An SVG as PNG at its own size, with the shipped fonts only (no system fonts: the same pixels everywhere).
 * @example writeFileSync("chart.png", svgToPng(chart.svg))
 */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: {
      fontFiles: [FONT_FILES.regular, FONT_FILES.bold],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return resvg.render().asPng();
}

/**
 * The size asked for, with defaults; fractional or silly sizes become whole pixels of at least 100.
 * @example chartSize({ width: 333.4 }) // { width: 333, height: 600 }
 */
export function chartSize(size: ChartSize): { width: number; height: number } {
  const pick = (v: number | undefined, fallback: number) =>
    v !== undefined && Number.isFinite(v) ? Math.max(100, Math.round(v)) : fallback;
  return { width: pick(size.width, DEFAULT_SIZE.width), height: pick(size.height, DEFAULT_SIZE.height) };
}
