/**
 * Incremental technical indicators, O(1) per update and allocation-free, shared by the host (backtests,
 * risk rules) and the plugin sandbox, into which this folder is bundled. Pure ECMAScript: nothing here may
 * import from outside core/indicators (types excepted) or use Node, console or timers.
 *
 * Warm-up convention (see types.ts): `update()` returns undefined until ready; numeric fields read NaN
 * until ready; batch helpers return full-length Float64Arrays with NaN in the warm-up rows.
 * Single-output indicators return the number; multi-output ones return themselves, so their fields
 * (`upper`, `signal`, ...) are read without allocating.
 *
 * Two habits keep updates fast in V8, and are worth keeping in new indicators:
 * - fields set in the constructor are `declare`d: a field declared without an initialiser is first defined
 *   as undefined, and V8 then stores it untyped (a fresh heap number on writes, a check on reads);
 * - warm-up lives in a separate private method, so the steady-state path is small enough to be inlined into
 *   the caller's loop.
 *
 * @example
 * import { Rsi, sma } from "./core/indicators/index.ts";
 * const rsi = new Rsi(14);
 * for (const c of candles) if ((rsi.update(c.close) ?? 50) < 30) buy();
 * const slow = sma(columns.close, 200);
 */
export { Adx, type AdxOutput, type AdxSeries, adx } from "./adx.ts";
export { Atr, atr } from "./atr.ts";
export { Bollinger, type BollingerOutput, type BollingerSeries, bollinger } from "./bollinger.ts";
export { Donchian, type DonchianOutput, type DonchianSeries, donchian } from "./donchian.ts";
export { Ema, ema } from "./ema.ts";
export { MAX_PERIOD } from "./internal/params.ts";
export { trueRange } from "./internal/true-range.ts";
export { WindowExtreme } from "./internal/window-extreme.ts";
export { Macd, type MacdOutput, type MacdSeries, macd } from "./macd.ts";
export { Obv, obv } from "./obv.ts";
export { ParabolicSar, type ParabolicSarOutput, type ParabolicSarSeries, parabolicSar } from "./psar.ts";
export { INDICATORS, type IndicatorName } from "./registry.ts";
export { Rsi, rsi } from "./rsi.ts";
export { Sma, sma } from "./sma.ts";
export { Stochastic, type StochasticOutput, type StochasticSeries, stochastic } from "./stochastic.ts";
export { SuperTrend, type SuperTrendOutput, type SuperTrendSeries, superTrend } from "./supertrend.ts";
export type { IndicatorSpec, InputName, ParamSpec, StreamingIndicator } from "./types.ts";
export { Vwap, vwap } from "./vwap.ts";
export { Wma, wma } from "./wma.ts";
