// Grid trading: `levels` evenly spaced prices from `lower` to `upper`. When a close falls through a level,
// buy one slice there; when a close rises through the next level up, sell that slice. Each slice earns
// one grid step. The grid (bounds, which slices are held, last close) lives in ctx.state, so a restart
// resumes the same grid instead of buying everything again.

const KEY = "grid";
let grid;

/** Level prices, lowest first. */
function levelPrices(lower, upper, count) {
  const step = (upper - lower) / (count - 1);
  return Array.from({ length: count }, (_, i) => lower + i * step);
}

/** Bounds from the params, or (both 0) centred on the first close seen, fixed from then on. */
function freshGrid(p, close) {
  const auto = p.lower === 0 && p.upper === 0;
  const lower = auto ? close * (1 - p.autoRangePct / 100) : p.lower;
  const upper = auto ? close * (1 + p.autoRangePct / 100) : p.upper;
  // held[i]: base quantity bought at level i and not yet sold; the top level never buys.
  return { lower, upper, held: new Array(p.levels).fill(0), lastClose: close };
}

export default {
  init(ctx) {
    const p = ctx.params;
    const auto = p.lower === 0 && p.upper === 0;
    if (!auto && !(p.lower > 0 && p.lower < p.upper)) {
      throw new Error(`need 0 < lower < upper, or both 0 for an automatic range (got ${p.lower}, ${p.upper})`);
    }
    const saved = ctx.state.get(KEY);
    // A saved grid is reused only if it is the grid these params describe.
    const matches =
      saved && saved.held.length === p.levels && (auto || (saved.lower === p.lower && saved.upper === p.upper));
    grid = matches ? saved : undefined;
  },

  onCandle(candle, ctx) {
    const p = ctx.params;
    const close = candle.close;
    if (!grid) {
      grid = freshGrid(p, close);
      ctx.state.set(KEY, grid);
      return;
    }
    const last = grid.lastClose;
    grid.lastClose = close;
    // Warm-up only tracks the last close: intents are ignored then, so slices must not be marked held.
    if (ctx.warmup) {
      ctx.state.set(KEY, grid);
      return;
    }

    const position = ctx.position().quantity;
    // Flat while the grid thinks it holds slices: a stop, a manual close or rejected buys. Start empty.
    if (position <= 0) grid.held.fill(0);

    if (p.stopLossPct > 0 && close < grid.lower * (1 - p.stopLossPct / 100)) {
      if (position > 0) ctx.close({ reason: "grid stop: price left the range downwards" });
      grid.held.fill(0);
      ctx.state.set(KEY, grid);
      return;
    }

    // One order per candle: a candle that crosses several levels sums their slices (a gap must not burst the
    // host's cap on intents per step).
    const prices = levelPrices(grid.lower, grid.upper, p.levels);
    // Rising: a close at or above level i+1, coming from below it, sells the slice bought at level i.
    let sold = 0;
    const soldLevels = [];
    for (let i = 0; i < prices.length - 1; i++) {
      const target = prices[i + 1];
      if (grid.held[i] > 0 && last < target && close >= target) {
        sold += grid.held[i];
        soldLevels.push(i);
        grid.held[i] = 0;
      }
    }
    // Never sell more than is held (buys may have been resized by the risk manager), but ignore the rounding
    // dust of summed quantities, so that slices sell as bought.
    if (sold > position * (1 + 1e-9)) sold = position;
    if (sold > 0)
      ctx.sell({ size: { base: sold }, reason: `grid: sell the slices of levels ${soldLevels.join(", ")}` });

    // Falling: a close at or below level i, coming from above it, buys a slice there.
    let bought = 0;
    const boughtLevels = [];
    for (let i = prices.length - 2; i >= 0; i--) {
      const level = prices[i];
      if (grid.held[i] === 0 && last > level && close <= level) {
        grid.held[i] = p.sliceQuote / level;
        bought += grid.held[i];
        boughtLevels.push(i);
      }
    }
    if (bought > 0)
      ctx.buy({ size: { base: bought }, reason: `grid: buy slices at levels ${boughtLevels.join(", ")}` });
    ctx.state.set(KEY, grid);
  },
};
