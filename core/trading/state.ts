import type { Unsubscribe } from "../bus/index.ts";
import type { Balances, Fill, OrderIntent, RiskLimits } from "../domain/index.ts";
import { mergeLimits } from "../domain/index.ts";
import type { MarketInfo } from "../execution/exchange.ts";
import { createExecutor, type Executor } from "../execution/executor/executor.ts";
import { ledgerFor } from "../execution/executor/ledger.ts";
import type { PaperExchange } from "../execution/paper/exchange.ts";
import { createEquityRecorder, type EquityRecorder } from "../portfolio/equity.ts";
import type { RiskRule } from "../risk/rule.ts";
import type { StopOut } from "../risk/snapshot.ts";
import { AtrBook } from "./atr-book.ts";
import { EquityTracker } from "./equity-tracker.ts";
import { observingLedger } from "./observing-ledger.ts";
import { AccountPositions } from "./positions.ts";
import { RAW_LIMITS, rulesFor } from "./rules.ts";
import { type StopWriter, stopWriter } from "./stop-store.ts";
import { StopBook } from "./stops.ts";
import { type EffectiveTradingState, effectiveTradingState } from "./trading-state.ts";
import type { OrderCosts, StrategyBinding, TradingAccountOptions } from "./types.ts";
import { cashOf, equityOf, type Holdings } from "./valuation.ts";
import { type VerdictDeps, verdictWriter } from "./verdicts.ts";

/** Stop-outs older than this are forgotten: longer than any sane cooldown or guard window. */
export const STOP_MEMORY_MS = 7 * 86_400_000;

/**
 * Everything one trading account holds, shared by the files of its pipeline (order-path.ts, candle.ts,
 * status.ts); account.ts exposes it. The store is the record, this is its mirror in memory.
 */
export interface AccountState {
  readonly options: TradingAccountOptions;
  readonly paper: PaperExchange | undefined;
  readonly fillModel: "close" | "next-open";
  readonly costs: OrderCosts;
  /** False when the risk rules are off (globalLimits null). */
  readonly risk: boolean;
  readonly rules: readonly RiskRule[];
  readonly executor: Executor;
  /** Where verdicts are written and published (recordVerdict's dependencies). */
  readonly verdicts: VerdictDeps;
  /** Where the stops of positions are written. */
  readonly writeStops: StopWriter;
  readonly recorder: EquityRecorder | undefined;
  readonly atr: AtrBook;
  readonly stops: StopBook;
  /** Last price per symbol: the close of its last candle (its open while a next-open order goes out). */
  readonly marks: Map<string, number>;
  /** Next-open intents waiting for their symbol's next candle (replaced, not emptied, when taken). */
  deferred: { intent: OrderIntent; strategy: StrategyBinding }[];
  readonly bindings: Map<string, StrategyBinding>;
  readonly limitsOf: Map<string, RiskLimits>;
  /** Fills the ledger committed that no operation has handed out yet (replaced, not emptied, when taken). */
  recorded: Fill[];
  /** The object holdings() refreshes and hands out. */
  readonly holdings: { -readonly [K in keyof Holdings]: Holdings[K] };
  positions: AccountPositions;
  equity: EquityTracker;
  stopOuts: StopOut[];
  trading: EffectiveTradingState;
  tradingStale: boolean;
  balances: Balances;
  markets: ReadonlyMap<string, MarketInfo>;
  quote: string;
  unsubscribe: Unsubscribe | undefined;
}

/**
 * An account's state before start(): its executor on a ledger whose commits update the in-memory
 * positions (and drop the stops of a side that ended), synchronously, before the executor returns.
 * @example const s = createAccountState(options); s.executor.submit(...)
 */
export function createAccountState(options: TradingAccountOptions): AccountState {
  const { store, log } = options;
  const stops = new StopBook();
  const state = {} as AccountState;
  const ledger = observingLedger(options.executor?.ledger ?? ledgerFor(store), (applied) => {
    // A literal when it is the first: pushing to an empty array reserves 17 slots, for one fill.
    if (state.recorded.length === 0) state.recorded = [applied.fill as Fill];
    else state.recorded.push(applied.fill as Fill);
    if (!applied.position) return;
    if (state.positions.apply(applied.position).sideEnded) {
      stops.clear(applied.position.strategyId, applied.position.symbol);
    }
  });
  const everyMs = options.equityEveryMs ?? 60_000;
  const marks = new Map<string, number>();
  return Object.assign(state, {
    options,
    paper: asPaper(options.exchange),
    fillModel: options.fill ?? "close",
    costs: options.costs ?? {},
    risk: options.globalLimits !== null,
    rules: rulesFor({ risk: options.globalLimits !== null, allowShort: options.allowShort ?? false }),
    executor: createExecutor({
      ...options.executor,
      accountId: options.accountId,
      exchange: options.exchange,
      store,
      bus: options.bus,
      clock: options.clock,
      ledger,
      ...(log && { log }),
    }),
    verdicts: verdictDeps(options),
    writeStops: stopWriter(store),
    recorder: everyMs > 0 ? createEquityRecorder({ store, everyMs }) : undefined,
    atr: new AtrBook(),
    stops,
    marks,
    deferred: [],
    bindings: new Map(),
    limitsOf: new Map(),
    recorded: [],
    holdings: { accountId: options.accountId, positions: new AccountPositions(), marks, quote: "", balances: {} },
    positions: new AccountPositions(),
    equity: new EquityTracker(),
    stopOuts: [],
    trading: { state: "ACTIVE" },
    tradingStale: true,
    balances: {},
    markets: new Map(),
    quote: "",
    unsubscribe: undefined,
  } satisfies AccountState);
}

/**
 * What the account's worth is computed from, as of now: read it at once, it is one object refreshed
 * on every call (equity is read on every candle of a backtest, a fresh object each time was garbage).
 */
export function holdings(s: AccountState): Holdings {
  const view = s.holdings;
  view.positions = s.positions;
  view.quote = s.quote;
  view.balances = s.balances;
  return view;
}

/** Every fill not handed out yet; undefined when there is none. */
export function take(s: AccountState): Fill[] | undefined {
  const all = s.recorded;
  if (all.length === 0) return undefined;
  s.recorded = [];
  return all;
}

/** The fills of one order not handed out yet; the others wait for the next take(). */
export function takeFor(s: AccountState, clientOrderId: string): readonly Fill[] {
  const all = s.recorded;
  let mine = 0;
  for (const f of all) if (f.clientOrderId === clientOrderId) mine++;
  if (mine === 0) return NO_FILLS;
  // The usual case: the order's own fills are all there is.
  if (mine === all.length) {
    s.recorded = [];
    return all;
  }
  s.recorded = all.filter((f) => f.clientOrderId !== clientOrderId);
  return all.filter((f) => f.clientOrderId === clientOrderId);
}

/** No fills: one shared, frozen array for the outcomes that have none. */
export const NO_FILLS: readonly Fill[] = Object.freeze([]);

/** Re-reads the trading state when someone may have switched it. */
export async function refreshTrading(s: AccountState): Promise<void> {
  if (!s.tradingStale) return;
  s.tradingStale = false;
  s.trading = await effectiveTradingState(s.options.store.db, s.options.accountId);
}

/** Writes the stops that moved since the last write; nothing to wait for when none did, or it was done at once. */
export function flushStops(s: AccountState): Promise<void> | undefined {
  if (!s.stops.hasDirty()) return undefined;
  const dirty = s.stops.takeDirty();
  return writeStops(s, dirty, 0);
}

function writeStops(
  s: AccountState,
  dirty: ReturnType<StopBook["takeDirty"]>,
  from: number,
): Promise<void> | undefined {
  const accountId = s.options.accountId;
  for (let i = from; i < dirty.length; i++) {
    const { strategyId, symbol, state } = dirty[i] as (typeof dirty)[number];
    const written = s.writeStops({ accountId, strategyId, symbol }, state);
    if (written instanceof Promise) return written.then(() => writeStops(s, dirty, i + 1));
  }
  return undefined;
}

/** The strategy's limits: the global ones with its override merged in; the raw limits when risk is off. */
export function limitsFor(s: AccountState, strategy: StrategyBinding): RiskLimits {
  const global = s.options.globalLimits;
  if (global === null) return RAW_LIMITS;
  let limits = s.limitsOf.get(strategy.id);
  if (!limits) {
    limits = mergeLimits(global, strategy.limits);
    s.limitsOf.set(strategy.id, limits);
  }
  return limits;
}

/** The quote a `{ fraction }` size is a fraction of. */
export function allocationOf(strategy: StrategyBinding, equityNow: number): number {
  return "pct" in strategy.allocation ? (equityNow * strategy.allocation.pct) / 100 : strategy.allocation.quote;
}

/** A strategy as last seen; stops loaded at start may fire before its first intent, and exits need no allocation. */
export function bindingOf(s: AccountState, strategyId: string): StrategyBinding {
  return s.bindings.get(strategyId) ?? { id: strategyId, allocation: { pct: 100 } };
}

/** The venue's market of a symbol; the list is reloaded for a symbol it did not have (a paper venue learns them). */
export async function marketOf(s: AccountState, symbol: string): Promise<MarketInfo | undefined> {
  const known = s.markets.get(symbol);
  if (known) return known;
  s.markets = await s.options.exchange.loadMarkets();
  return s.markets.get(symbol);
}

/** Stop-outs of the last STOP_MEMORY_MS. */
export function recentStops(s: AccountState, now: number): readonly StopOut[] {
  if (s.stopOuts.length > 0 && (s.stopOuts[0] as StopOut).time < now - STOP_MEMORY_MS) {
    s.stopOuts = s.stopOuts.filter((o) => o.time >= now - STOP_MEMORY_MS);
  }
  return s.stopOuts;
}

/** Equity at the marks, fed to the drawdown and daily-loss reference points. */
export function observeEquity(s: AccountState, time: number): number {
  const equity = equityOf(holdings(s), cashOf(s));
  s.equity.observe(time, equity);
  return equity;
}

/** Where verdicts go: the writer asked for (none with `verdicts: null`), else the store's. */
function verdictDeps(options: TradingAccountOptions): VerdictDeps {
  const write = options.verdicts === null ? undefined : (options.verdicts ?? verdictWriter(options.store));
  return {
    ...(write && { write }),
    bus: options.bus,
    ...(options.log && { log: options.log }),
  };
}

/** The paper exchange, when that is the venue: the account feeds it candles and prices. */
function asPaper(exchange: TradingAccountOptions["exchange"]): PaperExchange | undefined {
  const e = exchange as Partial<PaperExchange>;
  return typeof e.onCandle === "function" && typeof e.setPrice === "function" ? (exchange as PaperExchange) : undefined;
}
