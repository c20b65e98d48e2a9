// Charts as PNG for chat, files and the web: ECharts renders SVG on the server, resvg turns it into PNG with
// the DejaVu font shipped from npm. Every chart takes plain arrays and returns { png, svg, width, height };
// empty or broken input gives a "No data" picture, never an exception.
export { BACKTEST_SIZE, type BacktestChartInput, backtestChart } from "./backtest.ts";
export { type CandleChartInput, candleChart } from "./candles.ts";
export { type DailyPnlChartInput, dailyPnlChart } from "./daily-pnl.ts";
export { candleIndexAt, downsampleCandles, MAX_CANDLES } from "./downsample.ts";
export { type EquityChartInput, equityChart } from "./equity.ts";
export { FONT_FAMILY, FONT_FILES } from "./fonts.ts";
export { formatCompact, formatMoney, formatNumber, formatPercent, formatSigned, formatUtc } from "./format.ts";
export { type HeatmapChartInput, heatmapChart } from "./heatmap.ts";
export type { Overlay, TradeMarker } from "./price-panel.ts";
export { type Chart, type ChartSize, DEFAULT_SIZE, renderChart, svgToPng } from "./render.ts";
export { drawdownSeries, type TimeValue, thinPoints } from "./series.ts";
export { COLORS } from "./theme.ts";
