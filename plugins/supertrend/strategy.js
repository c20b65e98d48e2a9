// SuperTrend trend following: long when the SuperTrend direction turns up, flat when it turns down (and
// short then, if allowShort). Entries carry an ATR trailing stop with the indicator's own period and
// multiple, so a position is protected between candles and not only when the line is crossed at a close.

let trend;
// Direction on the previous candle (1 up, -1 down); NaN until ready, so the first ready candle is no turn.
let previousDirection = Number.NaN;

function entry(params, reason) {
  const order = { size: { fraction: params.fraction }, reason };
  if (params.trailingStop) {
    order.trailingStop = { mode: "atr", multiple: params.multiplier, period: params.period };
  }
  if (params.takeProfitPct > 0) order.takeProfit = { pct: params.takeProfitPct };
  return order;
}

export default {
  init(ctx) {
    trend = ctx.ta.superTrend(ctx.params.period, ctx.params.multiplier);
    previousDirection = Number.NaN;
  },

  onCandle(candle, ctx) {
    if (!trend.update(candle.high, candle.low, candle.close)) return;
    const direction = trend.direction;
    const turnedUp = previousDirection === -1 && direction === 1;
    const turnedDown = previousDirection === 1 && direction === -1;
    previousDirection = direction;
    if (!turnedUp && !turnedDown) return;

    const p = ctx.params;
    const held = ctx.position().quantity;
    if (turnedUp) {
      if (held < 0) ctx.close({ reason: "SuperTrend turned up" });
      if (held <= 0) ctx.buy(entry(p, "SuperTrend turned up"));
    } else {
      if (held > 0) ctx.close({ reason: "SuperTrend turned down" });
      if (held >= 0 && p.allowShort) ctx.sell(entry(p, "SuperTrend turned down"));
    }
  },
};
