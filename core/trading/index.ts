// The trading pipeline of one account, shared by live, paper and the backtester: risk snapshot ->
// verdict (stored, published) -> executor -> venue -> positions, stops, equity; and the kill switch.
//
// Wiring an engine (core/engine.ts) with it, per account in strategies.yaml:
//   const account = createTradingAccount({ accountId, exchange, store, bus, clock, log, globalLimits: config.risk,
//     allowShort: acc.shorting, costs: { takerPct: acc.fees.taker }, quote: "USDT" });
//   await account.start();                       // resumes positions, stops, stop-outs, trading state
//   sessions = strategies.map((s) => ({ strategy: { id: s.id, limits: s.risk, allocation: s.allocation },
//     runner, symbols: s.symbols }));            // runner.start({ snapshot: account.snapshotFor(strategy) })
//   bus.subscribe("candle.closed", (e) => dispatchCandle(account, sessions, e.symbol, e.candle));
//   chat's /halt, the web's button, the CLI:     switchTradingState({ db, bus, clock }, "HALTED", reason, by)
//   /status:                                     account.status()

export { createTradingAccount } from "./account.ts";
export { AtrBook } from "./atr-book.ts";
export { nextEvent, processCandle, skipCandles } from "./candle.ts";
export { EquityTracker } from "./equity-tracker.ts";
export { observingLedger } from "./observing-ledger.ts";
export { closeIntent, submitIntent } from "./order-path.ts";
export { AccountPositions, positionKey } from "./positions.ts";
export { constraintsOf, riskSnapshot, spendable } from "./risk-snapshot.ts";
export { noShortSelling, RAW_LIMITS, RAW_RULES, rulesFor } from "./rules.ts";
export {
  deliverFills,
  dispatchCandle,
  fillEvent,
  handleEmitted,
  MAX_FILL_CHAIN,
  type StepResult,
  type StrategySession,
  stepResult,
} from "./session.ts";
export { loadAccountState, type StoredAccountState } from "./start.ts";
export { type AccountState, createAccountState, STOP_MEMORY_MS } from "./state.ts";
export { accountStatus } from "./status.ts";
export { protectiveStops, stopExitIntent, stopLabel } from "./stop-exit.ts";
export { asStopState, loadStopOuts, saveStops } from "./stop-store.ts";
export { StopBook, type StopHit } from "./stops.ts";
export {
  type EffectiveTradingState,
  effectiveTradingState,
  stricterOf,
  switchTradingState,
  type TradingStateChange,
  type TradingStateDeps,
} from "./trading-state.ts";
export type {
  AccountStatus,
  Allocation,
  CandleOutcome,
  EquityColumns,
  IntentOutcome,
  OrderCosts,
  StrategyBinding,
  TradingAccount,
  TradingAccountOptions,
} from "./types.ts";
export { accountValue, type Holdings, openPositions, portfolioView } from "./valuation.ts";
export { recordVerdict, type VerdictWriter, verdictWriter } from "./verdicts.ts";
