// HAA-style momentum rotation over several symbols. Every `rebalanceEvery` bars, score each symbol by the
// mean of its returns over four lookbacks (1, 3, 6 and 12 "months" in the original, in candles here), hold
// the `topK` best that have a positive score, each at 1/topK of the allocation, and close the rest. A slot
// with no positive candidate stays in cash: that absolute-momentum filter is what steps aside in bear markets.

let closes; // symbol -> recent closes, oldest first, at most longest lookback + 1
let lookbacks;
let keep;

/** Mean of close[t] / close[t - n] - 1 over the lookbacks. */
function score(history) {
  const last = history[history.length - 1];
  let sum = 0;
  for (const n of lookbacks) sum += last / history[history.length - 1 - n] - 1;
  return sum / lookbacks.length;
}

export default {
  init(ctx) {
    const p = ctx.params;
    if (p.topK > ctx.symbols.length) {
      throw new Error(`topK (${p.topK}) is more than the ${ctx.symbols.length} symbols traded`);
    }
    lookbacks = [p.lookback1, p.lookback2, p.lookback3, p.lookback4];
    keep = Math.max(...lookbacks) + 1;
    closes = {};
    for (const symbol of ctx.symbols) closes[symbol] = [];
  },

  onBar(bars, ctx) {
    for (const symbol of ctx.symbols) {
      const bar = bars[symbol];
      if (!bar) continue;
      const history = closes[symbol];
      history.push(bar.close);
      if (history.length > keep) history.shift();
    }
    if (ctx.warmup) return;
    const p = ctx.params;
    // Only symbols with a full history and a candle on this bar can be scored, bought or sold.
    const ranked = ctx.symbols
      .filter((s) => bars[s] && closes[s].length === keep)
      .map((symbol) => ({ symbol, score: score(closes[symbol]) }));
    if (ranked.length === 0) return;

    // Bars since the last rebalance, in the state so that a restart keeps the schedule; none yet means
    // the first scorable live bar rebalances.
    const since = ctx.state.get("barsSinceRebalance");
    if (since !== undefined && since + 1 < p.rebalanceEvery) {
      ctx.state.set("barsSinceRebalance", since + 1);
      return;
    }
    ctx.state.set("barsSinceRebalance", 0);

    // Stable sort: equal scores keep the configured symbol order.
    ranked.sort((a, b) => b.score - a.score);
    const chosen = new Set(
      ranked
        .filter((r) => r.score > 0)
        .slice(0, p.topK)
        .map((r) => r.symbol),
    );
    // Exits first, so the cash they free is there for the entries.
    for (const { symbol } of ranked) {
      if (!chosen.has(symbol) && ctx.position(symbol).quantity > 0) {
        ctx.close({ symbol, reason: "no longer among the top momentum ranks" });
      }
    }
    ranked.forEach(({ symbol, score: s }, rank) => {
      if (chosen.has(symbol) && ctx.position(symbol).quantity === 0) {
        const reason = `momentum rank ${rank + 1}: ${(s * 100).toFixed(2)}%`;
        ctx.buy({ symbol, size: { fraction: 1 / p.topK }, reason });
      }
    });
  },
};
