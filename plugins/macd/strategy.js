// MACD signal-line cross: long when the MACD line crosses above its signal line, flat when it crosses
// below. The optional zero-line filter takes an entry only when the MACD line is above zero, i.e. the fast
// EMA is above the slow one: crosses inside a down trend are the ones that fail most often.

let macd;
// Histogram (macd - signal) of the previous candle; NaN until MACD is ready, so the first ready candle is
// never a cross.
let previousHistogram = Number.NaN;

export default {
  init(ctx) {
    const p = ctx.params;
    if (p.fast >= p.slow) throw new Error(`fast (${p.fast}) must be shorter than slow (${p.slow})`);
    macd = ctx.ta.macd(p.fast, p.slow, p.signal);
    previousHistogram = Number.NaN;
  },

  onCandle(candle, ctx) {
    if (!macd.update(candle.close)) return;
    const histogram = macd.histogram;
    const crossedUp = previousHistogram <= 0 && histogram > 0;
    const crossedDown = previousHistogram >= 0 && histogram < 0;
    previousHistogram = histogram;

    const p = ctx.params;
    const held = ctx.position().quantity;
    if (crossedUp && held === 0) {
      if (p.zeroLineFilter && !(macd.macd > 0)) return;
      const order = { size: { fraction: p.fraction }, reason: "MACD crossed above signal" };
      if (p.stopLossPct > 0) order.stopLoss = { pct: p.stopLossPct };
      if (p.takeProfitPct > 0) order.takeProfit = { pct: p.takeProfitPct };
      ctx.buy(order);
    } else if (crossedDown && held > 0) {
      ctx.close({ reason: "MACD crossed below signal" });
    }
  },
};
