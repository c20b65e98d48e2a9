// The backtester: the live trading account (core/trading) on a simulated clock and a paper venue,
// driven over stored candles by the strategy runner in batches; reproducible results, stored by id.
// Metrics, reports, sweeps and walk-forward live beside it (metrics*, report*, sweep*, walk-forward*).

export type { BacktestChild } from "./child-process.ts";
export { BacktestError } from "./errors.ts";
export { backtestId, canonicalJson, type FingerprintInputs } from "./fingerprint.ts";
export { withFixedFee } from "./fixed-fee.ts";
export { type BacktestOptions, runBacktestInProcess } from "./in-process.ts";
export type { BacktestInput, SeriesUsed } from "./input.ts";
export { createMemoryLedger } from "./memory-ledger.ts";
export { type PrepareOptions, prepareBacktest, settingsProblems } from "./prepare.ts";
export { type RunBacktestOptions, runBacktest, runInChild, startBacktestChild } from "./run.ts";
export { listBacktests, loadBacktest, saveBacktest } from "./save.ts";
export { type SimulateOptions, simulate, sliceTimeline } from "./simulate.ts";
export { roundTrips } from "./trades.ts";
export type { BacktestRun, BacktestSettings, BacktestTrade, EquityPoint, ParamInput } from "./types.ts";
export { BACKTEST_ACCOUNT, backtestAccount, backtestVenue, orderCosts } from "./venue.ts";
