import type { RiskLimits } from "../domain/index.ts";
import type { MarketInfo } from "../execution/exchange.ts";
import type { MarketConstraints } from "../risk/market.ts";
import type { OpenPosition, RiskSnapshot, StopOut } from "../risk/snapshot.ts";
import type { TradingState } from "../risk/trading-state.ts";
import type { OrderCosts } from "./types.ts";

/**
 * The free quote balance an order may spend on its notional once its own costs are set aside: the
 * fixed fee off the top, then room for the taker fee and the slippage of a market buy. The balance
 * rule sizes buys against this, so a buy of "all the cash" is not refused by the exchange for its fee.
 * A hair (1e-9) is kept back for float rounding in the exchange's own check.
 * @example spendable(10_000, { takerPct: 0.1, slippageBps: 5 }) // ≈ 9985.03
 */
export function spendable(free: number, costs: OrderCosts = {}): number {
  const factor = (1 + (costs.takerPct ?? 0) / 100) * (1 + (costs.slippageBps ?? 0) / 10_000);
  return Math.max(0, ((free - (costs.perOrder ?? 0)) / factor) * (1 - 1e-9));
}

/**
 * The risk manager's view of a market: steps and minimums, a 0 (no constraint) left out.
 * @example constraintsOf({ amountStep: 0.00001, priceTick: 0.01, minAmount: 0, minNotional: 5, ... }) // { amountStep: 0.00001, priceTick: 0.01, minNotional: 5 }
 */
export function constraintsOf(market: MarketInfo | undefined): MarketConstraints | undefined {
  if (!market) return undefined;
  // Asked for every intent, of the few market objects the venue handed out: worked out once each.
  const known = CONSTRAINTS.get(market);
  if (known) return known;
  const out: { -readonly [K in keyof MarketConstraints]: MarketConstraints[K] } = {};
  if (market.amountStep > 0) out.amountStep = market.amountStep;
  if (market.priceTick > 0) out.priceTick = market.priceTick;
  if (market.minAmount > 0) out.minAmount = market.minAmount;
  if (market.minNotional > 0) out.minNotional = market.minNotional;
  CONSTRAINTS.set(market, out);
  return out;
}

const CONSTRAINTS = new WeakMap<MarketInfo, MarketConstraints>();

/** Everything the account gathered for one intent. */
export interface SnapshotInputs {
  readonly now: number;
  readonly price: number;
  readonly equity: number;
  readonly dayStartEquity: number;
  readonly peakEquity: number;
  /** Free quote balance, before costs are set aside. */
  readonly freeCash: number;
  readonly costs: OrderCosts;
  readonly positions: readonly OpenPosition[];
  readonly atr: number | undefined;
  readonly market: MarketInfo | undefined;
  readonly recentStops: readonly StopOut[];
  readonly tradingState: TradingState;
  readonly limits: RiskLimits;
  readonly allocation: number;
}

/**
 * The RiskSnapshot of one intent, from what the account holds in memory. Pure.
 * @example evaluateIntent(intent, riskSnapshot(inputs))
 */
export function riskSnapshot(inputs: SnapshotInputs): RiskSnapshot {
  // One literal, no conditional spreads (they cost more than the rest of the snapshot): an ATR or a
  // market not known is an undefined field, which every rule reads as absent.
  return {
    now: inputs.now,
    equity: inputs.equity,
    dayStartEquity: inputs.dayStartEquity,
    peakEquity: inputs.peakEquity,
    cash: spendable(inputs.freeCash, inputs.costs),
    positions: inputs.positions,
    price: inputs.price,
    atr: inputs.atr,
    market: constraintsOf(inputs.market),
    recentStops: inputs.recentStops,
    tradingState: inputs.tradingState,
    limits: inputs.limits,
    allocation: inputs.allocation,
  };
}
