import type { AccountStatus } from "../../../core/trading/index.ts";
import type { PositionView } from "../services.ts";
import type { TradingSource } from "./trading-source.ts";

type Held = AccountStatus["positions"][number];

/**
 * Every open position of every account, as the engine holds it: marks, unrealised PnL and the stop
 * levels that stand now (a trailing stop's current level, not where it started).
 * @example readPositions(engine) // [{ accountId: "paper", strategyId: "sma-btc", symbol: "BTC/USDT", quantity: 0.02, stopLoss: 48_500, ... }]
 */
export function readPositions(engine: TradingSource): PositionView[] {
  const out: PositionView[] = [];
  for (const account of engine.accounts().values()) {
    for (const p of account.trading.status().positions) out.push(toView(account.config.id, p));
  }
  return out;
}

/**
 * The open positions a user means: "all", a symbol (any strategy's), or "<strategy>:<symbol>". Symbols
 * are matched without regard to case; strategy ids are slugs, so the first ":" splits them off (a
 * futures symbol such as "BTC/USDT:USDT" keeps its own colon).
 * @example matchPositions(positions, "sma-btc:BTC/USDT") // the one position of sma-btc in BTC/USDT
 */
export function matchPositions(positions: readonly PositionView[], ref: string): PositionView[] {
  const wanted = ref.trim();
  if (wanted.toLowerCase() === "all") return [...positions];
  const colon = wanted.indexOf(":");
  const slash = wanted.indexOf("/");
  // "sma-btc:BTC/USDT": a strategy before the symbol. "BTC/USDT:USDT": the colon comes after the slash.
  const strategy = colon > 0 && (slash < 0 || colon < slash) ? wanted.slice(0, colon) : undefined;
  const symbol = (strategy === undefined ? wanted : wanted.slice(colon + 1)).toUpperCase();
  return positions.filter(
    (p) => p.symbol.toUpperCase() === symbol && (strategy === undefined || p.strategyId === strategy),
  );
}

function toView(accountId: string, p: Held): PositionView {
  const trailing = p.stops?.trailing as { readonly stop?: number } | null | undefined;
  return {
    accountId,
    strategyId: p.strategyId,
    symbol: p.symbol,
    quantity: p.quantity,
    entryPrice: p.entryPrice,
    realizedPnl: p.realizedPnl,
    ...(p.lastPrice !== undefined && { lastPrice: p.lastPrice }),
    ...(p.unrealizedPnl !== undefined && { unrealizedPnl: p.unrealizedPnl }),
    ...(p.stops?.stopLoss != null && { stopLoss: p.stops.stopLoss }),
    ...(p.stops?.takeProfit != null && { takeProfit: p.stops.takeProfit }),
    ...(typeof trailing?.stop === "number" && { trailingStop: trailing.stop }),
  };
}
