import { clientOrderId, type Order, type OrderIntent, type RiskVerdict } from "../../domain/index.ts";
import { roundAmount, roundPrice } from "../../risk/precision.ts";
import type { MarketInfo } from "../exchange.ts";

/** The order an intent becomes, before anything is stored or sent. */
export interface BuiltOrder {
  readonly order: Order;
  /** Why the order cannot be sent as it is; it is then stored as rejected with this reason. */
  readonly problem?: string;
}

/**
 * Turns an approved (or resized) intent into an order: the deterministic client order id, the
 * verdict's amount rounded DOWN to the market's step (never more than the rules allowed), the limit
 * price rounded to the tick, and the market's own minimums checked so that an order the exchange
 * would refuse is refused here, with a reason a trader can read.
 * @example buildOrder(intent, verdict, market, { accountId: "paper", now, price: 50_000 }).order.status // "pending"
 */
export function buildOrder(
  intent: OrderIntent,
  verdict: RiskVerdict,
  market: MarketInfo | undefined,
  context: {
    readonly accountId: string;
    readonly now: number;
    readonly price?: number;
    readonly clientOrderId?: string;
  },
): BuiltOrder {
  const amount = roundAmount(verdict.amount, market?.amountStep);
  const limitOrTrigger =
    intent.type === "limit" ? intent.limitPrice : intent.type === "stop" ? intent.triggerPrice : undefined;
  const price = limitOrTrigger === undefined ? undefined : roundPrice(limitOrTrigger, market?.priceTick);
  const id = context.clientOrderId ?? clientOrderId(intent.strategyId, intent.id);
  // One whole literal for each shape rather than a conditional spread (slow on Node 20) or fields added
  // one by one (each past the literal's own grows a side array): the same keys in the same order,
  // `price` only when there is one.
  const built: Order =
    price === undefined
      ? {
          clientOrderId: id,
          accountId: context.accountId,
          strategyId: intent.strategyId,
          intentId: intent.id,
          symbol: intent.symbol,
          side: intent.side,
          type: intent.type,
          amount,
          status: "pending",
          filled: 0,
          fee: 0,
          createdAt: context.now,
          updatedAt: context.now,
        }
      : {
          clientOrderId: id,
          accountId: context.accountId,
          strategyId: intent.strategyId,
          intentId: intent.id,
          symbol: intent.symbol,
          side: intent.side,
          type: intent.type,
          amount,
          price,
          status: "pending",
          filled: 0,
          fee: 0,
          createdAt: context.now,
          updatedAt: context.now,
        };
  const problem = problemOf(built, market, price ?? context.price);
  return problem ? { order: built, problem } : { order: built };
}

function problemOf(order: Order, market: MarketInfo | undefined, price: number | undefined): string | undefined {
  if (!market) return `invalid order: ${order.symbol} is not a market of this exchange`;
  if (!market.active) return `invalid order: ${order.symbol} is not trading on the exchange right now`;
  if (order.type === "limit" && !(order.price !== undefined && order.price > 0)) {
    return "invalid order: a limit order needs a positive limit price";
  }
  if (order.type === "stop" && !(order.price !== undefined && order.price > 0)) {
    return "invalid order: a stop order needs a positive trigger price";
  }
  if (!(order.amount > 0)) return `invalid order: the amount rounds down to 0 at the step ${market.amountStep}`;
  if (market.minAmount > 0 && order.amount < market.minAmount) {
    return `invalid order: ${order.amount} ${market.base} is below the market minimum of ${market.minAmount}`;
  }
  if (price !== undefined && market.minNotional > 0 && order.amount * price < market.minNotional) {
    return `invalid order: worth ${+(order.amount * price).toPrecision(8)} ${market.quote}, below the market minimum of ${market.minNotional}`;
  }
  return undefined;
}
