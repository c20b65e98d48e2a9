import { pct } from "../format.ts";
import { approve, entryRule, reject } from "../rule.ts";
import { atrPctOf } from "../snapshot.ts";

const RULE = "volatility";

/**
 * Entries into a market whose ATR% is above `volatility.maxAtrPct` are rejected, or only warned
 * about when `volatility.action` is "warn" (the warning's level is the ATR% as a percentage of the
 * limit). Until the ATR has warmed up the filter cannot judge, and says so. Exits pass.
 * @example volatility(buy, 0.1, { atrPct: 12.5, limits: { volatility: { atrPeriod: 14, maxAtrPct: 10, action: "reject" } } }).reason
 *   // "ATR(14) is 12.5% of the price, above the 10% limit"
 */
export const volatility = entryRule(RULE, (_intent, _amount, snapshot) => {
  const { atrPeriod, maxAtrPct, action } = snapshot.limits.volatility;
  const atrPct = atrPctOf(snapshot);
  if (atrPct === undefined) {
    return approve(RULE, () => `ATR(${atrPeriod}) not known yet: volatility filter not applied`);
  }
  if (atrPct > maxAtrPct) {
    if (action === "reject") return reject(RULE, () => above(atrPeriod, atrPct, maxAtrPct));
    // A warning's message goes into the verdict's alerts: written now.
    const message = above(atrPeriod, atrPct, maxAtrPct);
    return approve(RULE, `${message} (warning only)`, { level: Math.round((atrPct / maxAtrPct) * 100), message });
  }
  return approve(RULE, () => `ATR(${atrPeriod}) is ${pct(atrPct)} of the price, limit ${pct(maxAtrPct)}`);
});

function above(atrPeriod: number, atrPct: number, maxAtrPct: number): string {
  return `ATR(${atrPeriod}) is ${pct(atrPct)} of the price, above the ${pct(maxAtrPct)} limit`;
}
