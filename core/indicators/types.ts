/**
 * Shapes every indicator in this folder shares. The folder is bundled into the plugin isolate, so it is pure
 * ECMAScript: no imports from outside it except types, no Node APIs, no console, no timers.
 *
 * Warm-up convention, the same for every indicator:
 * - `update(...)` returns `undefined` until the indicator is ready, then its output on every call;
 * - numeric fields (`value`, `upper`, `signal`, ...) read `NaN` until ready;
 * - batch helpers (`sma(values, 20)`, ...) return arrays as long as their input with `NaN` in warm-up rows,
 *   so row i of an output lines up with row i of the candles.
 */

/** A candle column an indicator reads, named as in `CandleColumns` (core/domain/candle.ts). */
export type InputName = "open" | "high" | "low" | "close" | "volume" | "time";

/** What every incremental indicator offers. */
export interface StreamingIndicator {
  /** True once the warm-up is over and the outputs hold numbers. */
  readonly ready: boolean;
  /** One new value (or candle's values) in; the output, or undefined during warm-up. O(1), no allocation. */
  update(...inputs: number[]): unknown;
  /** Back to the state right after construction, keeping the parameters and buffers. */
  reset(): void;
}

/** One constructor parameter, enough for a host or sandbox to validate it and build a form for it. */
export interface ParamSpec {
  readonly name: string;
  readonly kind: "integer" | "number" | "boolean";
  readonly default: number | boolean;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

/** A registry entry: how to build an indicator and what goes in and out of it. */
export interface IndicatorSpec {
  readonly description: string;
  /** In constructor order; `create(...params)` takes them positionally. */
  readonly params: readonly ParamSpec[];
  /** In `update(...)` argument order. */
  readonly inputs: readonly InputName[];
  /** Fields of the indicator that hold its outputs once ready. */
  readonly outputs: readonly string[];
  readonly create: (...params: any[]) => StreamingIndicator;
}
