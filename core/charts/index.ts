// Charts as PNG for chat, files and the web: ECharts renders SVG on the server, resvg turns it into PNG.
export { backtestChart } from "./backtest.ts";
export { candleChart, MAX_CANDLES, type Overlay, type TradeMarker } from "./candles.ts";
export { dailyPnlChart } from "./daily-pnl.ts";
export { candleIndexAt, downsampleCandles } from "./downsample.ts";
export { drawdownSeries, equityChart, type TimeValue } from "./equity.ts";
export { heatmapChart } from "./heatmap.ts";
export { type Chart, type ChartSize, FONT_FAMILY, renderChart } from "./render.ts";
export { COLORS, formatNumber, formatUtc } from "./theme.ts";
