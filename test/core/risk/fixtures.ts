import { DEFAULT_RISK_LIMITS, type OrderIntent, type RiskLimits } from "../../../core/domain/index.ts";
import { mergeLimits, type RiskLimitsOverride } from "../../../core/risk/limits.ts";
import type { OpenPosition, RiskSnapshot } from "../../../core/risk/snapshot.ts";

export const T0 = 1_700_000_000_000;
export const MIN = 60_000;

/**
 * A calm account: 10 000 USDT equity all in cash, flat, BTC at 50 000, Binance-like BTC/USDT market
 * (step 0.00001 BTC, tick 0.01, min notional 5 USDT), default limits. Tests change only what they test.
 */
export function snap(over: Partial<Omit<RiskSnapshot, "limits">> & { limits?: RiskLimitsOverride } = {}): RiskSnapshot {
  const { limits, ...rest } = over;
  return {
    now: T0,
    equity: 10_000,
    dayStartEquity: 10_000,
    peakEquity: 10_000,
    cash: 10_000,
    positions: [],
    price: 50_000,
    market: { amountStep: 0.00001, priceTick: 0.01, minAmount: 0.00001, minNotional: 5 },
    recentStops: [],
    tradingState: "ACTIVE",
    limits: mergeLimits(DEFAULT_RISK_LIMITS, limits),
    allocation: 1_000,
    ...rest,
  };
}

/** A market buy entry of `base` BTC by strategy "s1". */
export function buy(base: number, over: Partial<OrderIntent> = {}): OrderIntent {
  return {
    id: "s1:BTC/USDT:1",
    strategyId: "s1",
    symbol: "BTC/USDT",
    side: "buy",
    reduceOnly: false,
    size: { kind: "base", value: base },
    type: "market",
    candleTime: T0,
    ...over,
  };
}

/** A reduce-only market sell of `base` BTC by "s1": an exit of a long. */
export function exit(base: number, over: Partial<OrderIntent> = {}): OrderIntent {
  return buy(base, { side: "sell", reduceOnly: true, ...over });
}

export function position(quantity: number, over: Partial<OpenPosition> = {}): OpenPosition {
  return { symbol: "BTC/USDT", strategyId: "s1", quantity, entryPrice: 50_000, lastPrice: 50_000, ...over };
}

export type { RiskLimits };
