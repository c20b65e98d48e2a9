import type { OrderIntent } from "../domain/index.ts";
import { levelProblem, stopLossPrice, takeProfitPrice } from "../risk/stops/levels.ts";
import type { StopKind } from "../risk/stops/position-stops.ts";
import type { StopHit } from "./stops.ts";

/**
 * How a stop exit is named in reasons, trades and chat.
 * @example stopLabel("trailing-stop") // "trailing stop"
 */
export function stopLabel(kind: StopKind): string {
  return kind === "trailing-stop" ? "trailing stop" : kind;
}

/**
 * The reduce-only market exit a fired stop sends. Its id, `<strategy>:<symbol>:<candle time>:<kind>`,
 * is deterministic (a candle replayed after a restart asks for the same order, which the executor
 * recognises) and tells stop-outs apart in the store (see loadStopOuts).
 * @example stopExitIntent(hit, candle.time) // { id: "sma:BTC/USDT:1700000000000:stop-loss", side: "sell", reduceOnly: true, size: { kind: "fraction", value: 1 }, reason: "stop-loss", ... }
 */
export function stopExitIntent(hit: StopHit, candleTime: number): OrderIntent {
  return {
    id: `${hit.strategyId}:${hit.symbol}:${candleTime}:${hit.trigger.kind}`,
    strategyId: hit.strategyId,
    symbol: hit.symbol,
    side: hit.state.side === "long" ? "sell" : "buy",
    reduceOnly: true,
    size: { kind: "fraction", value: 1 },
    type: "market",
    candleTime,
    reason: stopLabel(hit.trigger.kind),
  };
}

/**
 * The exit levels of an entry intent that can work at `entryPrice`; a stop-loss or take-profit on the
 * wrong side of the entry (it would fire at once, or protect nothing) is dropped and reported.
 * Undefined when nothing is left to attach.
 * @example protectiveStops({ side: "buy", stopLoss: { price: 105 }, takeProfit: { pct: 5 } }, 100, warn) // { side: "buy", takeProfit: { pct: 5 } }, warn("a long's stop-loss must be below …")
 */
export function protectiveStops(
  intent: Pick<OrderIntent, "side" | "stopLoss" | "takeProfit" | "trailingStop">,
  entryPrice: number,
  onProblem: (problem: string) => void,
): Pick<OrderIntent, "side" | "stopLoss" | "takeProfit" | "trailingStop"> | undefined {
  const side = intent.side === "buy" ? "long" : "short";
  const out: { -readonly [K in "side" | "stopLoss" | "takeProfit" | "trailingStop"]?: OrderIntent[K] } = {
    side: intent.side,
  };
  if (intent.stopLoss) {
    const problem = levelProblem("stop-loss", stopLossPrice(intent.stopLoss, entryPrice, side), entryPrice, side);
    if (problem) onProblem(problem);
    else out.stopLoss = intent.stopLoss;
  }
  if (intent.takeProfit) {
    const problem = levelProblem("take-profit", takeProfitPrice(intent.takeProfit, entryPrice, side), entryPrice, side);
    if (problem) onProblem(problem);
    else out.takeProfit = intent.takeProfit;
  }
  if (intent.trailingStop) out.trailingStop = intent.trailingStop;
  if (!out.stopLoss && !out.takeProfit && !out.trailingStop) return undefined;
  return out as Pick<OrderIntent, "side" | "stopLoss" | "takeProfit" | "trailingStop">;
}
