// Backtest reports: a text table for terminals and chat, JSON for machines.

export { type BacktestChartInput, backtestChartInput, MAX_EQUITY_POINTS, thinEquity } from "./chart.ts";
export {
  coverageNote,
  type MissingData,
  missingData,
  type ReplayedData,
  replayedData,
  type Stretch,
} from "./coverage.ts";
export {
  formatCount,
  formatDuration,
  formatMoney,
  formatPct,
  formatQuantity,
  formatRatio,
  formatTime,
  NOT_AVAILABLE,
} from "./format.ts";
export { type JsonReport, jsonReport, stringifyReport } from "./json.ts";
export { describeRange, describeSettings, formatParams, type TextReportOptions, textReport } from "./text.ts";
