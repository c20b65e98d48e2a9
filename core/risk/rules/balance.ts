import { baseOf, money, quoteOf } from "../format.ts";
import { roundAmount } from "../precision.ts";
import { approve, entryRule, exceeds, fixed, reject, resize } from "../rule.ts";
import { orderPrice } from "../sizing.ts";

const RULE = "balance";
const SELL = fixed(approve(RULE, "a sell spends no quote balance"));

/**
 * A buy may cost at most the free quote balance; more is resized down to what the balance pays for
 * (the exchange would refuse it otherwise). Fees are left to the executor, which knows them. Sells
 * spend no quote balance, and exits pass.
 * @example balance(buy, 0.05, { cash: 1000, price: 25000, ... }).reason
 *   // "costs 1250 USDT, 1000 USDT free: resized to 0.04 BTC"
 */
export const balance = entryRule(RULE, (intent, amount, snapshot) => {
  if (intent.side === "sell") return SELL;
  const price = orderPrice(intent, snapshot);
  const cost = amount * price;
  const free = Math.max(0, snapshot.cash);
  if (!exceeds(cost, free)) return approve(RULE, () => costs(intent.symbol, cost, free));
  const fitted = roundAmount(free / price, snapshot.market?.amountStep);
  if (!(fitted > 0)) return reject(RULE, () => `${costs(intent.symbol, cost, free)}: not enough for any amount`);
  return resize(
    RULE,
    fitted,
    () => `${costs(intent.symbol, cost, free)}: resized to ${money(fitted, baseOf(intent.symbol))}`,
  );
});

// Reasons are functions passed straight to approve/reject/resize, never named closures: a runner that
// keeps function names (tsx) would give each named one a defineProperty, on every intent.
function costs(symbol: string, cost: number, free: number): string {
  const quote = quoteOf(symbol);
  return `costs ${money(cost, quote)}, ${money(free, quote)} free`;
}
