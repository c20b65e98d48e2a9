import { randomBytes } from "node:crypto";
import type { Clock } from "../../../core/clock.ts";
import type { OrderIntent } from "../../../core/domain/index.ts";
import type { IntentOutcome } from "../../../core/trading/index.ts";
import type { EngineAccount } from "../../../core/wiring/accounts.ts";
import type { PositionView } from "../services.ts";
import type { OrderOutcomeView, OrderQuote, OrderTicket } from "../views.ts";
import type { LastCandles } from "./last-candles.ts";
import {
  accountQuote,
  bindingOf,
  candleFor,
  MANUAL_BINDING,
  MANUAL_STRATEGY,
  priceOf,
  type TradingSource,
} from "./trading-source.ts";

export interface ManualOrderDeps {
  readonly engine: TradingSource;
  readonly candles: LastCandles;
  readonly clock: Clock;
}

/**
 * The account a manual order goes to: the one named, or the only one. With several accounts and none
 * named, there is no good guess.
 * @example pickAccount(engine, undefined) // the "paper" account when it is the only one
 */
export function pickAccount(engine: TradingSource, accountId: string | undefined): EngineAccount | undefined {
  const accounts = engine.accounts();
  if (accountId !== undefined) return accounts.get(accountId);
  return accounts.size === 1 ? [...accounts.values()][0] : undefined;
}

/**
 * What a manual order would cost at the last price, for the confirmation question.
 * @example await quoteOrder(deps, { side: "buy", symbol: "BTC/USDT", amount: 0.01 }) // { kind: "ok", price: 50_000, notional: 500, quote: "USDT", ... }
 */
export function quoteOrder(deps: ManualOrderDeps, ticket: OrderTicket): OrderQuote {
  const account = pickAccount(deps.engine, ticket.accountId);
  if (!account) return { kind: "no-account", accounts: [...deps.engine.accounts().keys()] };
  const price = priceOf(account, deps.candles, ticket.symbol);
  if (price === undefined) return { kind: "no-price", symbol: ticket.symbol };
  return {
    kind: "ok",
    accountId: account.config.id,
    price,
    notional: price * ticket.amount,
    quote: accountQuote(account),
  };
}

/**
 * A manual order as strategy "manual": a market order of `amount` base currency, judged by the risk
 * manager like any strategy's intent (it may be resized or rejected, and the kill switch holds), then
 * sent by the executor. The intent id is unique per order, so its client order id is too.
 * @example await placeOrder(deps, { side: "buy", symbol: "BTC/USDT", amount: 0.01 }, "telegram:42")
 */
export async function placeOrder(
  deps: ManualOrderDeps,
  ticket: OrderTicket,
  by: string,
): Promise<OrderOutcomeView | undefined> {
  const account = pickAccount(deps.engine, ticket.accountId);
  if (!account) return undefined;
  const price = priceOf(account, deps.candles, ticket.symbol);
  if (price === undefined) return undefined;
  const now = deps.clock.now();
  const candle = candleFor(account, deps.candles, ticket.symbol, price, now);
  const intent: OrderIntent = {
    // The candle time in the id puts the trade on that candle in /chart, as a strategy's would be.
    id: `${MANUAL_STRATEGY}:${ticket.symbol}:${candle.time}:${randomBytes(4).toString("hex")}`,
    strategyId: MANUAL_STRATEGY,
    symbol: ticket.symbol,
    side: ticket.side,
    reduceOnly: false,
    size: { kind: "base", value: ticket.amount },
    type: "market",
    candleTime: candle.time,
    reason: `manual /${ticket.side} by ${by}`,
  };
  const outcome = await account.trading.handleIntent(intent, candle, MANUAL_BINDING);
  return outcomeView(account.config.id, outcome);
}

/**
 * An operator's /close of one position: a reduce-only market exit under the strategy's own binding
 * (its limits), through the risk manager. Undefined when the position was already flat.
 * @example await closeOne(engine, { accountId: "paper", strategyId: "sma-btc", symbol: "BTC/USDT" }, "telegram:42")
 */
export async function closeOne(
  engine: TradingSource,
  position: Pick<PositionView, "accountId" | "strategyId" | "symbol">,
  by: string,
): Promise<OrderOutcomeView | undefined> {
  const account = engine.accounts().get(position.accountId);
  if (!account) return undefined;
  const binding = bindingOf(engine, position.strategyId);
  const outcome = await account.trading.closePosition(binding, position.symbol, `closed by ${by}`);
  return outcome && outcomeView(position.accountId, outcome);
}

/**
 * What chat shows of an intent's fate: the verdict's reasons (rules that resized or rejected, and
 * warnings), then the order's status, the amount filled and its average price.
 * @example outcomeView("paper", outcome) // { decision: "resize", reasons: ["max position 10%: ..."], status: "filled", filled: 0.019, ... }
 */
export function outcomeView(accountId: string, outcome: IntentOutcome): OrderOutcomeView {
  const { intent, verdict, order, submit } = outcome;
  const filled = outcome.fills.reduce((sum, f) => sum + f.amount, 0);
  const value = outcome.fills.reduce((sum, f) => sum + f.amount * f.price, 0);
  const reasons = verdict
    ? [...verdict.rules.filter((r) => r.decision !== "approve").map((r) => r.reason), ...verdict.warnings]
    : [];
  const problem =
    submit?.kind === "denied"
      ? submit.reason
      : order?.status === "rejected" || order?.status === "cancelled"
        ? order.reason
        : undefined;
  return {
    accountId,
    strategyId: intent.strategyId,
    symbol: intent.symbol,
    side: intent.side,
    decision: verdict?.decision ?? "approve",
    reasons,
    ...(order && { status: order.status }),
    filled: order?.filled ?? filled,
    ...(filled > 0 && { averagePrice: value / filled }),
    ...(order?.averagePrice !== undefined && filled === 0 && { averagePrice: order.averagePrice }),
    ...(problem !== undefined && { problem }),
  };
}
