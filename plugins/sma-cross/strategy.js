// SMA crossover: long while the fast average is above the slow one (short too, if allowShort).
// Crosses are judged on closed candles only, so a signal never repaints.
// Written with onCandles: after a cross it only says which side to hold (ctx.target) and never reads the
// position, so the host runs a whole window of candles in one call and turns each target into orders
// against the position it really holds at that candle: the same orders the per-candle version asked for
// after reading ctx.position() (a close of the other side first, then the entry).

let fast;
let slow;
// fast - slow on the previous candle. NaN until both averages are ready; NaN compares false, so the
// first ready candle never counts as a cross (we have not seen which side the lines came from).
let previousGap = Number.NaN;
// What to hold after each cross, with its order: built once, so every target shares two order objects.
let afterUp;
let afterDown;

/**
 * Size and protective exits of an entry, from the params; a 0 percentage means "not attached". Frozen,
 * nested objects too: the host then checks an order once rather than at every ctx.target call.
 */
function entry(params, reason) {
  const order = { size: Object.freeze({ fraction: params.fraction }), reason };
  if (params.stopLossPct > 0) order.stopLoss = Object.freeze({ pct: params.stopLossPct });
  if (params.takeProfitPct > 0) order.takeProfit = Object.freeze({ pct: params.takeProfitPct });
  return Object.freeze(order);
}

export default {
  init(ctx) {
    const p = ctx.params;
    // A "fast" average no faster than the slow one never crosses it: fail loudly instead of idling forever.
    if (p.fast >= p.slow) throw new Error(`fast (${p.fast}) must be shorter than slow (${p.slow})`);
    fast = ctx.ta.sma(p.fast);
    slow = ctx.ta.sma(p.slow);
    previousGap = Number.NaN;
    afterUp = { side: "long", order: entry(p, "fast SMA crossed above slow") };
    // Without allowShort a cross down only closes the long: hold nothing (the reason goes on the close).
    afterDown = p.allowShort
      ? { side: "short", order: entry(p, "fast SMA crossed below slow") }
      : { side: "flat", order: Object.freeze({ reason: "fast SMA crossed below slow" }) };
  },

  onCandles(candles, ctx) {
    const close = candles.close;
    for (let i = 0; i < candles.length; i++) {
      fast.update(close[i]);
      slow.update(close[i]);
      if (!slow.ready) continue;
      const gap = fast.value - slow.value;
      // Crossed = on or below the other line before, strictly beyond it now.
      const crossedUp = previousGap <= 0 && gap > 0;
      const crossedDown = previousGap >= 0 && gap < 0;
      previousGap = gap;
      const after = crossedUp ? afterUp : crossedDown ? afterDown : undefined;
      if (after) ctx.target(i, after.side, after.order);
    }
  },
};
