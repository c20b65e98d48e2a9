// Donchian breakout, turtle style: buy when a close makes a new `entryPeriod` high, sell when a close makes
// a new `exitPeriod` low. The channels are those of the candles BEFORE the current one: a channel that
// includes the current candle always contains its close, so nothing could ever break out of it.
// Optional turtle stop: `stopAtr` ATRs below the entry close ("2N" in the original rules).

let entryChannel;
let exitChannel;
let atr;

export default {
  init(ctx) {
    const p = ctx.params;
    entryChannel = ctx.ta.donchian(p.entryPeriod);
    exitChannel = ctx.ta.donchian(p.exitPeriod);
    atr = ctx.ta.atr(p.atrPeriod);
  },

  onCandle(candle, ctx) {
    // Read the channels of the previous candles first, then let the current candle in.
    const priorHigh = entryChannel.ready ? entryChannel.upper : Number.NaN;
    const priorLow = exitChannel.ready ? exitChannel.lower : Number.NaN;
    entryChannel.update(candle.high, candle.low);
    exitChannel.update(candle.high, candle.low);
    atr.update(candle.high, candle.low, candle.close);

    const p = ctx.params;
    const held = ctx.position().quantity;
    if (held === 0 && candle.close > priorHigh) {
      const order = { size: { fraction: p.fraction }, reason: `new ${p.entryPeriod}-candle high` };
      if (p.stopAtr > 0 && atr.ready) {
        const stop = candle.close - p.stopAtr * atr.value;
        if (stop > 0) order.stopLoss = { price: stop };
      }
      ctx.buy(order);
    } else if (held > 0 && candle.close < priorLow) {
      ctx.close({ reason: `new ${p.exitPeriod}-candle low` });
    }
  },
};
