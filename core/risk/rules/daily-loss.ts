import { pct } from "../format.ts";
import { approve, defineRule, reached, reject } from "../rule.ts";
import { dailyLossPct } from "../snapshot.ts";

const RULE = "daily-loss";

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
  if (loss === undefined) return approve(RULE, "no day-start equity recorded: daily loss not measured");
  if (!(limit > 0)) return approve(RULE, "daily loss limit disabled");

  const used = (loss / limit) * 100;
  const text = `daily loss ${pct(loss)} of day-start equity is ${pct(used)} of the ${pct(limit)} limit`;
  if (reached(used, 100)) {
    const warning = { level: 100, message: text };
    return intent.reduceOnly
      ? approve(RULE, `${text}: exits stay allowed`, warning)
      : reject(RULE, `${text}: no new entries until the next UTC day`, warning);
  }
  for (let i = DAILY_LOSS_WARNINGS.length - 1; i >= 0; i--) {
    const level = DAILY_LOSS_WARNINGS[i] as number;
    if (reached(used, level)) return approve(RULE, text, { level, message: text });
  }
  return approve(RULE, `daily loss ${pct(loss)} of day-start equity, limit ${pct(limit)}`);
});
