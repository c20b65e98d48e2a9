import { approve, entryRule, reject } from "../rule.ts";

const RULE = "symbol-enabled";

/**
 * Only symbols the limits allow: `disabledSymbols` always wins, a non-empty `enabledSymbols` is an
 * allow-list. Exits pass: disabling a symbol must not trap a position in it.
 * @example symbolEnabled(buyDoge, 100, { limits: { disabledSymbols: ["DOGE/USDT"], ... } }).reason // "DOGE/USDT is disabled"
 */
export const symbolEnabled = entryRule(RULE, (intent, _amount, { limits }) => {
  if (limits.disabledSymbols.includes(intent.symbol)) return reject(RULE, () => `${intent.symbol} is disabled`);
  if (limits.enabledSymbols.length > 0 && !limits.enabledSymbols.includes(intent.symbol)) {
    return reject(RULE, () => `${intent.symbol} is not in the enabled symbols (${limits.enabledSymbols.join(", ")})`);
  }
  return approve(RULE, () => `${intent.symbol} is enabled`);
});
