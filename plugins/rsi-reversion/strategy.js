// RSI mean reversion: buy when RSI climbs back up through the oversold level (the selling has eased,
// rather than "RSI is low", which keeps buying into a crash), sell when it climbs above overbought.

let rsi;
// RSI of the previous candle; NaN until ready, so the first ready candle is never a cross.
let previous = Number.NaN;

export default {
  init(ctx) {
    const p = ctx.params;
    if (p.oversold >= p.overbought) {
      throw new Error(`oversold (${p.oversold}) must be below overbought (${p.overbought})`);
    }
    rsi = ctx.ta.rsi(p.period);
    previous = Number.NaN;
  },

  onCandle(candle, ctx) {
    const value = rsi.update(candle.close);
    if (value === undefined) return;
    const p = ctx.params;
    const crossedUpFromOversold = previous < p.oversold && value >= p.oversold;
    const crossedAboveOverbought = previous <= p.overbought && value > p.overbought;
    previous = value;

    const held = ctx.position().quantity;
    if (crossedUpFromOversold && held === 0) {
      const order = { size: { fraction: p.fraction }, reason: `RSI crossed up through ${p.oversold}` };
      if (p.stopLossPct > 0) order.stopLoss = { pct: p.stopLossPct };
      if (p.takeProfitPct > 0) order.takeProfit = { pct: p.takeProfitPct };
      ctx.buy(order);
    } else if (crossedAboveOverbought && held > 0) {
      ctx.close({ reason: `RSI crossed above ${p.overbought}` });
    }
  },
};
