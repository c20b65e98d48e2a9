import { DEFAULT_RISK_LIMITS, type RiskLimits } from "../domain/index.ts";
import { baseOf, money } from "../risk/format.ts";
import { DEFAULT_RULES } from "../risk/pipeline.ts";
import { approve, defineRule, exceeds, fixed, type RiskRule, reject, resize } from "../risk/rule.ts";
import { balance, exitSize, minOrderSize, tradingState } from "../risk/rules/index.ts";
import { heldQuantity } from "../risk/snapshot.ts";

const RULE = "short-selling";
const NOT_SHORT = fixed(approve(RULE, "not a short sale"));

/**
 * On an account that cannot short (spot, the default), a sell may only sell what the strategy holds:
 * a sell with nothing long is rejected, a bigger one is cut to the holding. Exits pass (exit-size
 * already keeps them within the position). This is the venue's own constraint, so it applies with the
 * risk rules switched off too.
 * @example noShortSelling(sell, 2, { positions: [long 1 BTC], ... }).reason // "no short selling on this account: capped at the 1 BTC held"
 */
export const noShortSelling: RiskRule = defineRule(RULE, (intent, amount, snapshot) => {
  if (intent.side === "buy" || intent.reduceOnly) return NOT_SHORT;
  const held = heldQuantity(snapshot, intent);
  if (!(held > 0)) {
    return reject(RULE, () => `no short selling on this account: nothing long in ${intent.symbol} to sell`);
  }
  if (exceeds(amount, held)) {
    return resize(
      RULE,
      held,
      () => `no short selling on this account: capped at the ${money(held, baseOf(intent.symbol))} held`,
    );
  }
  return approve(
    RULE,
    () => `sells ${money(amount, baseOf(intent.symbol))} of the ${money(held, baseOf(intent.symbol))} held`,
  );
});

/**
 * What an account checks with its risk rules switched off (a backtest's `--no-risk`): an exit must fit
 * the position, a buy must be paid for, the market's minimums and precision hold, and the kill switch
 * still rules. The limits' own minimum order is 0 then, so only the market's minimums remain.
 */
export const RAW_RULES: readonly RiskRule[] = [exitSize, balance, minOrderSize, tradingState];

/** The limits the raw rules read: the defaults, with no configured minimum order. */
export const RAW_LIMITS: RiskLimits = { ...DEFAULT_RISK_LIMITS, minOrderQuote: 0 };

/**
 * The rules an intent runs through: the full pipeline, or the raw one when risk is off; with the
 * short-selling guard right after exit-size when the account cannot short.
 * @example rulesFor({ risk: true, allowShort: false }).map((r) => r.ruleName) // ["exit-size", "short-selling", ...]
 */
export function rulesFor(options: { readonly risk: boolean; readonly allowShort: boolean }): readonly RiskRule[] {
  const base = options.risk ? DEFAULT_RULES : RAW_RULES;
  if (options.allowShort) return base;
  const at = base.indexOf(exitSize) + 1;
  return [...base.slice(0, at), noShortSelling, ...base.slice(at)];
}
