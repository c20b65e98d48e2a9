import { baseOf, money, pct } from "../format.ts";
import { roundAmount } from "../precision.ts";
import { approve, entryRule, exceeds, fixed, reject, resize } from "../rule.ts";
import { orderPrice } from "../sizing.ts";
import { heldAlong, type RiskSnapshot } from "../snapshot.ts";

const RULE = "total-exposure";
const NO_EQUITY = fixed(reject(RULE, "equity is 0 or below: no room for any exposure"));

/**
 * The notional of every open position after the order may be at most `maxExposurePct`% of equity.
 * Other positions are valued at their last price, the intent's own at the order's price. An order
 * that lowers exposure passes even when the account is over the limit; one that raises it past the
 * limit is resized down to what fits, or rejected when nothing does. Exits pass.
 * @example totalExposure(buy, 0.1, snapshotWith45PctOpen).reason
 *   // "exposure would be 95% of equity, limit 50%: resized to 0.01 BTC"
 */
export const totalExposure = entryRule(RULE, (intent, amount, snapshot) => {
  const limit = snapshot.limits.maxExposurePct;
  const price = orderPrice(intent, snapshot);
  const equity = snapshot.equity;
  if (!(equity > 0)) return NO_EQUITY;

  const others = otherExposure(snapshot, intent);
  const along = heldAlong(snapshot, intent);
  const before = exposurePct(others, along, price, equity);
  const after = exposurePct(others, along + amount, price, equity);
  if (!exceeds(after, limit)) return approve(RULE, () => wouldBe(after, limit));
  if (!exceeds(after, before)) {
    return approve(RULE, () => `${wouldBe(after, limit)}, but lower than the ${pct(before)} now`);
  }

  // Room for this position's size: what the cap leaves after the others, or (when the order works
  // against the position) at least its current size, since getting back to it raises nothing.
  const room = Math.max(((equity * limit) / 100 - others) / price, along < 0 ? -along : 0);
  const fitted = roundAmount(Math.min(amount, room - along), snapshot.market?.amountStep);
  if (!(fitted > 0)) {
    return reject(RULE, () => `exposure is already ${pct(before)} of equity, limit ${pct(limit)}: no room to add`);
  }
  return resize(RULE, fitted, () => `${wouldBe(after, limit)}: resized to ${money(fitted, baseOf(intent.symbol))}`);
});

function wouldBe(after: number, limit: number): string {
  return `exposure would be ${pct(after)} of equity, limit ${pct(limit)}`;
}

/** Exposure in percent of equity with this position at `quantity`: a plain function, not a closure per call. */
function exposurePct(others: number, quantity: number, price: number, equity: number): number {
  return ((others + Math.abs(quantity) * price) / equity) * 100;
}

/** Notional of every open position except the intent's own (same strategy, same symbol). */
function otherExposure(snapshot: RiskSnapshot, intent: { strategyId: string; symbol: string }): number {
  let sum = 0;
  for (const p of snapshot.positions) {
    if (p.strategyId === intent.strategyId && p.symbol === intent.symbol) continue;
    sum += Math.abs(p.quantity) * p.lastPrice;
  }
  return sum;
}
