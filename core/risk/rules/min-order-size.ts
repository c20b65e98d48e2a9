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
  const base = baseOf(intent.symbol);
  const quote = quoteOf(intent.symbol);
  const notional = amount * orderPrice(intent, snapshot);
  const order = `${intent.reduceOnly ? "exit" : "order"} of ${money(amount, base)} (${money(notional, quote)})`;
  const market = snapshot.market ?? {};
  // The configured minimum keeps entries worth making; an exit is always worth making.
  const configured = intent.reduceOnly ? 0 : snapshot.limits.minOrderQuote;
  const marketNotional = market.minNotional ?? 0;
  const minNotional = Math.max(configured, marketNotional);
  const source = configured >= marketNotional ? "minOrderQuote" : "market minimum notional";

  let problem: string | undefined;
  if (market.minAmount !== undefined && exceeds(market.minAmount, amount)) {
    problem = `${order} is below the market minimum amount ${money(market.minAmount, base)}`;
  } else if (exceeds(minNotional, notional)) {
    problem = `${order} is below the ${money(minNotional, quote)} minimum (${source})`;
  }
  if (problem === undefined) return approve(RULE, `${order} meets the ${money(minNotional, quote)} minimum`);
  if (!intent.reduceOnly) return reject(RULE, problem);
  const message = `${problem}: the exchange may refuse it`;
  return approve(RULE, message, { level: 100, message });
});
