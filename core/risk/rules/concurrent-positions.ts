import { approve, entryRule, reject } from "../rule.ts";
import { heldQuantity } from "../snapshot.ts";

const RULE = "concurrent-positions";

/**
 * At most `maxOpenPositions` positions open on the account. Adding to a position the strategy already
 * holds opens nothing new, so it passes; so do exits.
 * @example concurrentPositions(buyNewSymbol, 0.1, snapshotWith10Open).reason // "10 positions open, limit 10: no new position"
 */
export const concurrentPositions = entryRule(RULE, (intent, _amount, snapshot) => {
  const limit = snapshot.limits.maxOpenPositions;
  let open = 0;
  for (const p of snapshot.positions) if (p.quantity !== 0) open++;
  if (heldQuantity(snapshot, intent) !== 0) {
    return approve(RULE, () => `adds to the open ${intent.symbol} position (${open} open, limit ${limit})`);
  }
  if (open >= limit) return reject(RULE, () => `${open} positions open, limit ${limit}: no new position`);
  return approve(RULE, () => `would be position ${open + 1} of at most ${limit}`);
});
