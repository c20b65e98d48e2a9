import type { EChartsCoreOption } from "echarts/core";
import { header } from "./header.ts";
import { COLORS } from "./theme.ts";

/**
 * The option of a chart with nothing to show: its title and a calm "No data" in the middle, so a command on
 * a fresh account still answers with a picture rather than an error.
 * @example renderChart(noDataOption("Equity (USDT)"), { width: 1000, height: 600 })
 */
export function noDataOption(title: string | undefined, width: number, subtitle?: string): EChartsCoreOption {
  const { title: titles } = header({ title, subtitle }, width);
  return {
    title: titles,
    graphic: {
      type: "text",
      left: "center",
      top: "middle",
      style: { text: "No data", fontSize: 22, fill: COLORS.muted },
    },
  };
}
