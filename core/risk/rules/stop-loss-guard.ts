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
  const now = snapshot.now;
  const times = stopTimes(snapshot.recentStops, intent.symbol, now);

  let lockedUntil = Number.NEGATIVE_INFINITY;
  for (let last = stops - 1; last < times.length; last++) {
    const first = times[last - stops + 1] as number;
    const end = times[last] as number;
    if (end - first <= window) lockedUntil = Math.max(lockedUntil, end + lockMinutes * 60_000);
  }
  if (now < lockedUntil) {
    const until = lockedUntil;
    return reject(
      RULE,
      () =>
        `${stops} stop-outs on ${intent.symbol} within ${windowMinutes} min: locked for another ${minutes(until - now)}`,
    );
  }
  let recent = 0;
  for (const t of times) if (now - t <= window) recent++;
  return approve(RULE, () => `${recent} of ${stops} stop-outs on ${intent.symbol} in the last ${windowMinutes} min`);
});

const NONE: readonly number[] = [];

/** The times of a symbol's stop-outs up to `now`, oldest first; no array at all when there are none. */
function stopTimes(recent: readonly { readonly symbol: string; readonly time: number }[], symbol: string, now: number) {
  let times: number[] | undefined;
  for (const s of recent) {
    if (s.symbol !== symbol || !(s.time <= now)) continue;
    times ??= [];
    times.push(s.time);
  }
  return times ? times.sort((a, b) => a - b) : NONE;
}
