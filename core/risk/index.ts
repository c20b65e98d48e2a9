// The risk manager: pure rules over a snapshot, the pipeline that runs them, position sizing, market
// precision, and the stops attached to positions. No I/O here; the engine gathers the snapshot,
// stores the verdicts and publishes the events.
export * from "./limits.ts";
export * from "./market.ts";
export * from "./pipeline.ts";
export * from "./precision.ts";
export * from "./rule.ts";
export * from "./rules/index.ts";
export * from "./sizing.ts";
export * from "./snapshot.ts";
export * from "./state-switch.ts";
export * from "./stops/index.ts";
export * from "./trading-state.ts";
export { Verdict } from "./verdict.ts";
