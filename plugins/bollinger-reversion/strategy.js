// Bollinger mean reversion: a close below the lower band is a stretch away from the mean; buy it and
// sell when price is back at the middle band (the SMA), where the stretch is gone.

let bands;

export default {
  init(ctx) {
    bands = ctx.ta.bollinger(ctx.params.period, ctx.params.multiplier);
  },

  onCandle(candle, ctx) {
    if (!bands.update(candle.close)) return;
    const p = ctx.params;
    const close = candle.close;
    const held = ctx.position().quantity;
    if (held === 0 && close < bands.lower) {
      const order = { size: { fraction: p.fraction }, reason: "close below the lower band" };
      // A band walk (price hugging the lower band in a crash) is what kills this strategy; the stop caps it.
      if (p.stopLossPct > 0) order.stopLoss = { pct: p.stopLossPct };
      ctx.buy(order);
    } else if (held > 0 && close >= bands.middle) {
      ctx.close({ reason: "close back at the middle band" });
    }
  },
};
