import { minutes } from "../format.ts";
import { approve, entryRule, fixed, reject } from "../rule.ts";

const RULE = "cooldown";
const OFF = fixed(approve(RULE, "no cooldown after stop-outs configured"));

/**
 * After a stop-out, a symbol takes no new entry for `cooldownAfterStopMinutes`: re-entering straight
 * into the move that just stopped us out is the classic way to lose twice. Exits pass.
 * @example cooldown(buy, 0.1, { now: t + 12 * MIN, recentStops: [{ symbol: "BTC/USDT", time: t }], ... }).reason
 *   // "BTC/USDT stopped out 12 min ago: cooldown 60 min, entries allowed again in 48 min"
 */
export const cooldown = entryRule(RULE, (intent, _amount, snapshot) => {
  const window = snapshot.limits.cooldownAfterStopMinutes * 60_000;
  if (!(window > 0)) return OFF;
  let last: number | undefined;
  for (const stop of snapshot.recentStops) {
    if (stop.symbol === intent.symbol && stop.time <= snapshot.now && (last === undefined || stop.time > last))
      last = stop.time;
  }
  const now = snapshot.now;
  if (last !== undefined && now - last < window) {
    const at = last;
    return reject(
      RULE,
      () =>
        `${intent.symbol} stopped out ${Math.floor((now - at) / 60_000)} min ago: cooldown ${minutes(window)}, entries allowed again in ${minutes(at + window - now)}`,
    );
  }
  return approve(RULE, () => `no stop-out on ${intent.symbol} in the last ${minutes(window)}`);
});
