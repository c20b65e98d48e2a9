// Dollar-cost averaging: buy a fixed quote amount every `everyN` candles, and/or when the close has fallen
// `dipPct` % below the highest high of the last `dipLookback` candles. Optional take-profit: sell it all
// once the close is `takeProfitPct` % above the average entry price, then start accumulating again.

let recentHigh;
// One dip buy per dip: disarmed by a dip buy, armed again once a close is back above the dip line.
let dipArmed = true;

export default {
  init(ctx) {
    const p = ctx.params;
    if (p.everyN === 0 && p.dipPct === 0) throw new Error("nothing to do: set everyN, dipPct or both");
    recentHigh = ctx.ta.donchian(p.dipLookback);
    dipArmed = true;
  },

  onCandle(candle, ctx) {
    recentHigh.update(candle.high, candle.low);
    if (ctx.warmup) return;
    const p = ctx.params;
    // Live candles since the last scheduled buy, kept in state so a restart neither skips nor repeats one.
    // Starting "due" makes the first live candle buy.
    const since = ctx.state.get("sinceScheduledBuy") ?? p.everyN;

    const dipLine = recentHigh.ready ? recentHigh.upper * (1 - p.dipPct / 100) : Number.NaN;
    const belowDipLine = p.dipPct > 0 && candle.close <= dipLine;
    const dip = belowDipLine && dipArmed;
    dipArmed = !belowDipLine;

    const position = ctx.position();
    if (
      p.takeProfitPct > 0 &&
      position.quantity > 0 &&
      candle.close >= position.entryPrice * (1 + p.takeProfitPct / 100)
    ) {
      // No buy on the same candle: a scheduled one waits for the next candle.
      ctx.close({ reason: `take profit: ${p.takeProfitPct}% above the average entry` });
      ctx.state.set("sinceScheduledBuy", since + 1);
      return;
    }

    const scheduled = p.everyN > 0 && since >= p.everyN;
    if (scheduled || dip) {
      const reason = scheduled ? `scheduled buy (every ${p.everyN} candles)` : `dip of ${p.dipPct}% from the high`;
      ctx.buy({ size: { quote: p.quote }, reason });
    }
    ctx.state.set("sinceScheduledBuy", scheduled ? 1 : since + 1);
  },
};
