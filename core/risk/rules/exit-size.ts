import { baseOf, money } from "../format.ts";
import { approve, defineRule, exceeds, fixed, reject, resize } from "../rule.ts";
import { heldQuantity } from "../snapshot.ts";

const RULE = "exit-size";
const ENTRY = fixed(approve(RULE, "an entry, not an exit"));

/**
 * A reduce-only intent must work against a position the strategy holds, and is capped at its size:
 * an exit can close a position but never open or flip one. Entries pass.
 * @example exitSize(sell, 0.5, snapshotLong0_2).reason // "exit of 0.5 BTC capped to the 0.2 BTC held"
 */
export const exitSize = defineRule(RULE, (intent, amount, snapshot) => {
  if (!intent.reduceOnly) return ENTRY;
  const held = heldQuantity(snapshot, intent);
  if (held === 0) return reject(RULE, () => `nothing held in ${intent.symbol} to reduce`);
  const long = held > 0;
  const size = Math.abs(held);
  if (long === (intent.side === "buy")) {
    return reject(
      RULE,
      () =>
        `a reduce-only ${intent.side} would add to the ${long ? "long" : "short"} ${money(size, baseOf(intent.symbol))} position`,
    );
  }
  if (exceeds(amount, size)) {
    return resize(
      RULE,
      size,
      () => `exit of ${money(amount, baseOf(intent.symbol))} capped to the ${money(size, baseOf(intent.symbol))} held`,
    );
  }
  return approve(
    RULE,
    () => `exit of ${money(amount, baseOf(intent.symbol))} of the ${money(size, baseOf(intent.symbol))} held`,
  );
});
