import { pct } from "../format.ts";
import { approve, entryRule, fixed, reached, reject } from "../rule.ts";
import { drawdownPct } from "../snapshot.ts";

const RULE = "max-drawdown";
const NO_PEAK = fixed(approve(RULE, "no equity peak recorded: drawdown not measured"));

/**
 * Locks new entries once equity has fallen `maxDrawdownPct`% from its peak. Exits pass.
 * @example maxDrawdown(buy, 0.1, { equity: 9000, peakEquity: 12000, limits: { maxDrawdownPct: 25 } }).reason
 *   // "drawdown 25% from the equity peak reached the 25% limit: new entries locked"
 */
export const maxDrawdown = entryRule(RULE, (_intent, _amount, snapshot) => {
  const limit = snapshot.limits.maxDrawdownPct;
  const drawdown = drawdownPct(snapshot);
  if (drawdown === undefined) return NO_PEAK;
  if (limit > 0 && reached(drawdown, limit)) {
    return reject(
      RULE,
      () => `drawdown ${pct(drawdown)} from the equity peak reached the ${pct(limit)} limit: new entries locked`,
    );
  }
  return approve(RULE, () => `drawdown ${pct(drawdown)} from the equity peak, limit ${pct(limit)}`);
});
