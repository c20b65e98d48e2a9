import { minutes } from "../format.ts";
import { approve, entryRule, reject } from "../rule.ts";

const RULE = "stop-loss-guard";

/**
 * `stopLossGuard.stops` stop-outs of one symbol within `windowMinutes` lock the symbol for
 * `lockMinutes`, counted from the stop that completed the series (Freqtrade's StoplossGuard, per
 * pair). Exits pass.
 * @example stopLossGuard(buy, 0.1, snapshotWith3StopsIn2Hours).reason
 *   // "3 stop-outs on BTC/USDT within 240 min: locked for another 180 min"
 */
export const stopLossGuard = entryRule(RULE, (intent, _amount, snapshot) => {
  const { stops, windowMinutes, lockMinutes } = snapshot.limits.stopLossGuard;
  const window = windowMinutes * 60_000;
  const times = snapshot.recentStops
    .filter((s) => s.symbol === intent.symbol && s.time <= snapshot.now)
    .map((s) => s.time)
    .sort((a, b) => a - b);

  let lockedUntil = Number.NEGATIVE_INFINITY;
  for (let last = stops - 1; last < times.length; last++) {
    const first = times[last - stops + 1] as number;
    const end = times[last] as number;
    if (end - first <= window) lockedUntil = Math.max(lockedUntil, end + lockMinutes * 60_000);
  }
  if (snapshot.now < lockedUntil) {
    return reject(
      RULE,
      `${stops} stop-outs on ${intent.symbol} within ${windowMinutes} min: locked for another ${minutes(lockedUntil - snapshot.now)}`,
    );
  }
  const recent = times.filter((t) => snapshot.now - t <= window).length;
  return approve(RULE, `${recent} of ${stops} stop-outs on ${intent.symbol} in the last ${windowMinutes} min`);
});
