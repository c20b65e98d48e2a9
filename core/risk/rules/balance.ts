import { baseOf, money, quoteOf } from "../format.ts";
import { roundAmount } from "../precision.ts";
import { approve, entryRule, exceeds, reject, resize } from "../rule.ts";
import { orderPrice } from "../sizing.ts";

const RULE = "balance";

/**
 * A buy may cost at most the free quote balance; more is resized down to what the balance pays for
 * (the exchange would refuse it otherwise). Fees are left to the executor, which knows them. Sells
 * spend no quote balance, and exits pass.
 * @example balance(buy, 0.05, { cash: 1000, price: 25000, ... }).reason
 *   // "costs 1250 USDT, 1000 USDT free: resized to 0.04 BTC"
 */
export const balance = entryRule(RULE, (intent, amount, snapshot) => {
  if (intent.side === "sell") return approve(RULE, "a sell spends no quote balance");
  const quote = quoteOf(intent.symbol);
  const price = orderPrice(intent, snapshot);
  const cost = amount * price;
  const free = Math.max(0, snapshot.cash);
  const text = `costs ${money(cost, quote)}, ${money(free, quote)} free`;
  if (!exceeds(cost, free)) return approve(RULE, text);
  const fitted = roundAmount(free / price, snapshot.market?.amountStep);
  if (!(fitted > 0)) return reject(RULE, `${text}: not enough for any amount`);
  return resize(RULE, fitted, `${text}: resized to ${money(fitted, baseOf(intent.symbol))}`);
});
