// EMA crossover: long while the fast average is above the slow one (short too, if allowShort).
// EMAs weigh recent closes more than SMAs do, so the cross comes earlier and whipsaws more often.
// Crosses are judged on closed candles only, so a signal never repaints.

let fast;
let slow;
// fast - slow on the previous candle. NaN until both averages are ready; NaN compares false, so the
// first ready candle never counts as a cross (we have not seen which side the lines came from).
let previousGap = Number.NaN;

/** Size and protective exits of an entry, from the params; a 0 percentage means "not attached". */
function entry(params, reason) {
  const order = { size: { fraction: params.fraction }, reason };
  if (params.stopLossPct > 0) order.stopLoss = { pct: params.stopLossPct };
  if (params.takeProfitPct > 0) order.takeProfit = { pct: params.takeProfitPct };
  return order;
}

export default {
  init(ctx) {
    const p = ctx.params;
    // A "fast" average no faster than the slow one never crosses it: fail loudly instead of idling forever.
    if (p.fast >= p.slow) throw new Error(`fast (${p.fast}) must be shorter than slow (${p.slow})`);
    fast = ctx.ta.ema(p.fast);
    slow = ctx.ta.ema(p.slow);
    previousGap = Number.NaN;
  },

  onCandle(candle, ctx) {
    fast.update(candle.close);
    slow.update(candle.close);
    if (!slow.ready) return;
    const gap = fast.value - slow.value;
    // Crossed = on or below the other line before, strictly beyond it now.
    const crossedUp = previousGap <= 0 && gap > 0;
    const crossedDown = previousGap >= 0 && gap < 0;
    previousGap = gap;
    if (!crossedUp && !crossedDown) return;

    const p = ctx.params;
    const held = ctx.position().quantity;
    if (crossedUp) {
      if (held < 0) ctx.close({ reason: "fast EMA crossed above slow" });
      if (held <= 0) ctx.buy(entry(p, "fast EMA crossed above slow"));
    } else {
      if (held > 0) ctx.close({ reason: "fast EMA crossed below slow" });
      if (held >= 0 && p.allowShort) ctx.sell(entry(p, "fast EMA crossed below slow"));
    }
  },
};
