import { baseOf, money } from "../format.ts";
import { approve, defineRule, exceeds, reject, resize } from "../rule.ts";
import { heldQuantity } from "../snapshot.ts";

const RULE = "exit-size";

/**
 * A reduce-only intent must work against a position the strategy holds, and is capped at its size:
 * an exit can close a position but never open or flip one. Entries pass.
 * @example exitSize(sell, 0.5, snapshotLong0_2).reason // "exit of 0.5 BTC capped to the 0.2 BTC held"
 */
export const exitSize = defineRule(RULE, (intent, amount, snapshot) => {
  if (!intent.reduceOnly) return approve(RULE, "an entry, not an exit");
  const base = baseOf(intent.symbol);
  const held = heldQuantity(snapshot, intent);
  if (held === 0) return reject(RULE, `nothing held in ${intent.symbol} to reduce`);
  const long = held > 0;
  if (long === (intent.side === "buy")) {
    return reject(
      RULE,
      `a reduce-only ${intent.side} would add to the ${long ? "long" : "short"} ${money(Math.abs(held), base)} position`,
    );
  }
  if (exceeds(amount, Math.abs(held))) {
    return resize(
      RULE,
      Math.abs(held),
      `exit of ${money(amount, base)} capped to the ${money(Math.abs(held), base)} held`,
    );
  }
  return approve(RULE, `exit of ${money(amount, base)} of the ${money(Math.abs(held), base)} held`);
});
