import type { Bus } from "../bus/index.ts";
import type { SimulatedClock } from "../clock.ts";
import { createPaperExchange, type PaperExchange } from "../execution/paper/exchange.ts";
import type { Store } from "../store/database.ts";
import { createTradingAccount } from "../trading/account.ts";
import type { OrderCosts, TradingAccount } from "../trading/types.ts";
import { withFixedFee } from "./fixed-fee.ts";
import { createMemoryLedger } from "./memory-ledger.ts";
import type { BacktestSettings } from "./types.ts";

/** The account id a backtest trades under, in its own in-memory store. */
export const BACKTEST_ACCOUNT = "backtest";

/**
 * The simulated venue of a backtest: the paper exchange with the settings' fees and slippage (a fixed
 * fee per order through withFixedFee), shorting as allowed, markets learned from the candles (amounts
 * in 1e-8 steps, no minimum). In memory: a backtest persists nothing of the venue's.
 * @example const venue = await backtestVenue(settings, clock, "USDT")
 */
export async function backtestVenue(
  settings: BacktestSettings,
  clock: SimulatedClock,
  quote: string,
): Promise<PaperExchange> {
  const fees = settings.fees;
  const paper = await createPaperExchange({
    accountId: BACKTEST_ACCOUNT,
    clock,
    balances: { [quote]: settings.cash },
    fees: fees.kind === "percent" ? { maker: fees.makerPct, taker: fees.takerPct } : { maker: 0, taker: 0 },
    slippageBps: settings.slippageBps,
    shorting: settings.allowShort,
    // The paper book walks its retained orders on every candle it is fed; a backtest looks an order up
    // only right after placing it, so keeping a few is enough (the default 10 000 would cost O(orders)).
    retain: 64,
  });
  return fees.kind === "fixed" ? withFixedFee(paper, fees.perOrder) : paper;
}

/**
 * What an order costs beyond its notional under these settings, for sizing.
 * @example orderCosts({ fees: { kind: "percent", makerPct: 0.1, takerPct: 0.1 }, slippageBps: 5, ... }) // { takerPct: 0.1, slippageBps: 5 }
 */
export function orderCosts(settings: BacktestSettings): OrderCosts {
  return settings.fees.kind === "percent"
    ? { takerPct: settings.fees.takerPct, slippageBps: settings.slippageBps }
    : { perOrder: settings.fees.perOrder, slippageBps: settings.slippageBps };
}

/**
 * The live trading account on the backtest's clock, venue and store: the same risk pipeline, executor
 * and stops as live. `ledger: "memory"` swaps the executor's SQLite ledger for an in-memory one and
 * writes no verdict rows (same plans, same fills; no durability, which a backtest does not need but live
 * always has).
 * @example const account = backtestAccount({ settings, venue, store, bus, clock, quote: "USDT", ledger: "store" })
 */
export function backtestAccount(deps: {
  readonly settings: BacktestSettings;
  readonly venue: PaperExchange;
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: SimulatedClock;
  readonly quote: string;
  readonly ledger: "store" | "memory";
}): TradingAccount {
  const { settings } = deps;
  return createTradingAccount({
    accountId: BACKTEST_ACCOUNT,
    exchange: deps.venue,
    store: deps.store,
    bus: deps.bus,
    clock: deps.clock,
    globalLimits: settings.risk,
    fill: settings.fill,
    allowShort: settings.allowShort,
    costs: orderCosts(settings),
    quote: deps.quote,
    equityEveryMs: 0,
    // Nothing of a "memory" run is durable: orders in a plain map, verdicts counted and published only.
    ...(deps.ledger === "memory" && { executor: { ledger: createMemoryLedger() }, verdicts: null }),
  });
}
