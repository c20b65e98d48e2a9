import type { OrderIntent } from "../../domain/index.ts";
import { baseOf, money, quoteOf } from "../format.ts";
import { approve, defineRule, exceeds, reject } from "../rule.ts";
import { orderPrice } from "../sizing.ts";

const RULE = "min-order-size";

/**
 * An entry must reach the market's minimum amount and a notional of at least the larger of the
 * configured `minOrderQuote` and the market's minimum notional. It runs after every resize, on the
 * amount that will actually be sent. An exit below the market's minimums is NOT blocked, since nothing
 * blocks an exit, but warned about: the exchange may refuse dust, and the chat should know why.
 * @example minOrderSize(buy, 0.0001, { price: 50000, limits: { minOrderQuote: 10 }, ... }).reason
 *   // "order of 0.0001 BTC (5 USDT) is below the 10 USDT minimum (minOrderQuote)"
 */
export const minOrderSize = defineRule(RULE, (intent, amount, snapshot) => {
  const notional = amount * orderPrice(intent, snapshot);
  const market = snapshot.market;
  // The configured minimum keeps entries worth making; an exit is always worth making.
  const configured = intent.reduceOnly ? 0 : snapshot.limits.minOrderQuote;
  const marketNotional = market?.minNotional ?? 0;
  const minNotional = Math.max(configured, marketNotional);
  const minAmount = market?.minAmount;

  let below: string | undefined;
  if (minAmount !== undefined && exceeds(minAmount, amount)) below = "amount";
  else if (exceeds(minNotional, notional)) {
    below = configured >= marketNotional ? "minOrderQuote" : "market minimum notional";
  }
  if (below === undefined) {
    return approve(
      RULE,
      () => `${order(intent, amount, notional)} meets the ${money(minNotional, quoteOf(intent.symbol))} minimum`,
    );
  }
  const short = below;
  const floor = short === "amount" ? (minAmount as number) : minNotional;
  if (!intent.reduceOnly) return reject(RULE, () => problem(intent, amount, notional, short, floor));
  // A warning's message goes into the verdict's alerts: written now.
  const message = `${problem(intent, amount, notional, short, floor)}: the exchange may refuse it`;
  return approve(RULE, message, { level: 100, message });
});

function order(intent: OrderIntent, amount: number, notional: number): string {
  const what = intent.reduceOnly ? "exit" : "order";
  return `${what} of ${money(amount, baseOf(intent.symbol))} (${money(notional, quoteOf(intent.symbol))})`;
}

/** Below the market's minimum `amount`, or below a minimum notional from `source`. */
function problem(intent: OrderIntent, amount: number, notional: number, source: string, minimum: number): string {
  return source === "amount"
    ? `${order(intent, amount, notional)} is below the market minimum amount ${money(minimum, baseOf(intent.symbol))}`
    : `${order(intent, amount, notional)} is below the ${money(minimum, quoteOf(intent.symbol))} minimum (${source})`;
}
