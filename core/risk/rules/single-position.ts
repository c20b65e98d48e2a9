import { baseOf, money, pct } from "../format.ts";
import { roundAmount } from "../precision.ts";
import { approve, entryRule, exceeds, fixed, reject, resize } from "../rule.ts";
import { orderPrice } from "../sizing.ts";
import { heldAlong } from "../snapshot.ts";

const RULE = "single-position";
const NO_EQUITY = fixed(reject(RULE, "equity is 0 or below: no room for any position"));

/**
 * The position the order leaves (the strategy's holding of the symbol plus the order, valued at the
 * order's price) may be at most `maxPositionPct`% of equity. Too big: resized down to what fits,
 * rounded down to the amount step; nothing fits: rejected. Exits pass.
 * @example singlePosition(buy, 0.03, { equity: 10000, price: 50000, ... }).reason
 *   // "position would be 15% of equity, limit 10%: resized to 0.02 BTC"
 */
export const singlePosition = entryRule(RULE, (intent, amount, snapshot) => {
  const limit = snapshot.limits.maxPositionPct;
  const price = orderPrice(intent, snapshot);
  const equity = snapshot.equity;
  if (!(equity > 0)) return NO_EQUITY;

  const along = heldAlong(snapshot, intent);
  const after = positionPct(along + amount, price, equity);
  if (!exceeds(after, limit)) return approve(RULE, () => wouldBe(after, limit));

  // The largest order whose resulting position is within the cap; when the order works against the
  // position (along < 0) that is closing it plus a new position up to the cap on the other side.
  const cap = (equity * limit) / 100 / price;
  const fitted = roundAmount(Math.min(amount, cap - along), snapshot.market?.amountStep);
  if (!(fitted > 0)) {
    return reject(RULE, () =>
      along > 0
        ? `position is already ${pct(positionPct(along, price, equity))} of equity, limit ${pct(limit)}: no room to add`
        : `${wouldBe(after, limit)}: no room left`,
    );
  }
  return resize(RULE, fitted, () => `${wouldBe(after, limit)}: resized to ${money(fitted, baseOf(intent.symbol))}`);
});

function wouldBe(after: number, limit: number): string {
  return `position would be ${pct(after)} of equity, limit ${pct(limit)}`;
}

/** A position of `quantity` at `price` in percent of equity: a plain function, not a closure per call. */
function positionPct(quantity: number, price: number, equity: number): number {
  return ((Math.abs(quantity) * price) / equity) * 100;
}
