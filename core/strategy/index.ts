// The strategy runner: one instance over a candle stream, entering its sandbox in batches.

export { IntentIds, toOrderIntent } from "./intents.ts";
export { LiveSteps } from "./live-steps.ts";
export {
  type EmittedIntent,
  type ProcessOptions,
  type ProcessResult,
  type RunnerLogLine,
  type RunnerStatus,
  StrategyRunner,
  type StrategyRunnerOptions,
  type WarmupRequest,
} from "./runner.ts";
export {
  buildTimeline,
  type CandleSeries,
  candleAt,
  lastCandleAt,
  packWindow,
  type Timeline,
  toColumns,
} from "./timeline.ts";
