import { pct } from "../format.ts";
import { approve, defineRule, fixed, reached, reject } from "../rule.ts";
import { dailyLossPct } from "../snapshot.ts";

const RULE = "daily-loss";
const UNMEASURED = fixed(approve(RULE, "no day-start equity recorded: daily loss not measured"));
const DISABLED = fixed(approve(RULE, "daily loss limit disabled"));

/** Fractions of the limit, in percent, that raise a warning; 100 stops new entries. */
export const DAILY_LOSS_WARNINGS = [70, 90] as const;

/**
 * Today's loss against `dailyLossLimitPct`: warnings at 70% and 90% of the limit, no new entries at
 * 100%. Exits are always approved (cutting losses is exactly what a losing day needs) but still carry
 * the warning, so the chat sees how bad the day is.
 * @example dailyLoss(buy, 0.1, { equity: 9640, dayStartEquity: 10000, limits: { dailyLossLimitPct: 5 } }).warning
 *   // { rule: "daily-loss", level: 70, message: "daily loss 3.6% of day-start equity is 72% of the 5% limit" }
 */
export const dailyLoss = defineRule(RULE, (intent, _amount, snapshot) => {
  const limit = snapshot.limits.dailyLossLimitPct;
  const loss = dailyLossPct(snapshot);
  if (loss === undefined) return UNMEASURED;
  if (!(limit > 0)) return DISABLED;

  const used = (loss / limit) * 100;
  // A warning's message is part of the verdict's alerts, so once a warning is due the text is written.
  if (reached(used, 100)) {
    const message = usedText(loss, used, limit);
    const warning = { level: 100, message };
    return intent.reduceOnly
      ? approve(RULE, `${message}: exits stay allowed`, warning)
      : reject(RULE, `${message}: no new entries until the next UTC day`, warning);
  }
  for (let i = DAILY_LOSS_WARNINGS.length - 1; i >= 0; i--) {
    const level = DAILY_LOSS_WARNINGS[i] as number;
    if (reached(used, level)) {
      const message = usedText(loss, used, limit);
      return approve(RULE, message, { level, message });
    }
  }
  return approve(RULE, () => `daily loss ${pct(loss)} of day-start equity, limit ${pct(limit)}`);
});

function usedText(loss: number, used: number, limit: number): string {
  return `daily loss ${pct(loss)} of day-start equity is ${pct(used)} of the ${pct(limit)} limit`;
}
