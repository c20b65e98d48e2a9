import { Adx } from "./adx.ts";
import { Atr } from "./atr.ts";
import { Bollinger } from "./bollinger.ts";
import { Donchian } from "./donchian.ts";
import { Ema } from "./ema.ts";
import { Macd } from "./macd.ts";
import { Obv } from "./obv.ts";
import { ParabolicSar } from "./psar.ts";
import { Rsi } from "./rsi.ts";
import { Sma } from "./sma.ts";
import { Stochastic } from "./stochastic.ts";
import { SuperTrend } from "./supertrend.ts";
import type { IndicatorSpec, ParamSpec } from "./types.ts";
import { Vwap } from "./vwap.ts";
import { Wma } from "./wma.ts";

const period = (fallback: number, description = "candles in the window"): ParamSpec => ({
  name: "period",
  kind: "integer",
  default: fallback,
  min: 1,
  description,
});

/**
 * Every indicator, described for hosts that build them by name: the plugin sandbox exposes each entry as
 * `ctx.ta.<name>(...params)`, and forms or validators can read params, inputs and outputs from it.
 * `inputs` are candle columns in `update` order; `outputs` are the fields that hold the results.
 *
 * @example
 * const spec = INDICATORS.bollinger;
 * const bb = spec.create(20, 2);
 * bb.update(candle.close); // then bb.upper, bb.middle, bb.lower
 */
export const INDICATORS = {
  sma: {
    description: "Simple moving average",
    params: [period(20)],
    inputs: ["close"],
    outputs: ["value"],
    create: (n = 20) => new Sma(n),
  },
  ema: {
    description: "Exponential moving average, SMA-seeded",
    params: [period(20)],
    inputs: ["close"],
    outputs: ["value"],
    create: (n = 20) => new Ema(n),
  },
  wma: {
    description: "Linearly weighted moving average",
    params: [period(20)],
    inputs: ["close"],
    outputs: ["value"],
    create: (n = 20) => new Wma(n),
  },
  rsi: {
    description: "Relative strength index (Wilder)",
    params: [period(14)],
    inputs: ["close"],
    outputs: ["value"],
    create: (n = 14) => new Rsi(n),
  },
  macd: {
    description: "MACD line, signal and histogram",
    params: [
      { name: "fast", kind: "integer", default: 12, min: 1, description: "fast EMA period" },
      { name: "slow", kind: "integer", default: 26, min: 1, description: "slow EMA period" },
      { name: "signal", kind: "integer", default: 9, min: 1, description: "signal EMA period" },
    ],
    inputs: ["close"],
    outputs: ["macd", "signal", "histogram"],
    create: (fast = 12, slow = 26, signal = 9) => new Macd(fast, slow, signal),
  },
  bollinger: {
    description: "Bollinger Bands (population standard deviation)",
    params: [
      period(20),
      { name: "multiplier", kind: "number", default: 2, min: 0, description: "standard deviations" },
    ],
    inputs: ["close"],
    outputs: ["middle", "upper", "lower"],
    create: (n = 20, multiplier = 2) => new Bollinger(n, multiplier),
  },
  atr: {
    description: "Average true range (Wilder)",
    params: [period(14)],
    inputs: ["high", "low", "close"],
    outputs: ["value"],
    create: (n = 14) => new Atr(n),
  },
  stochastic: {
    description: "Stochastic oscillator %K and %D",
    params: [
      { name: "kPeriod", kind: "integer", default: 14, min: 1, description: "high/low window" },
      { name: "kSmooth", kind: "integer", default: 3, min: 1, description: "SMA of raw %K (1 = fast)" },
      { name: "dPeriod", kind: "integer", default: 3, min: 1, description: "SMA of %K" },
    ],
    inputs: ["high", "low", "close"],
    outputs: ["k", "d"],
    create: (k = 14, smooth = 3, d = 3) => new Stochastic(k, smooth, d),
  },
  adx: {
    description: "Average directional index with +DI and -DI (Wilder)",
    params: [period(14)],
    inputs: ["high", "low", "close"],
    outputs: ["adx", "plusDi", "minusDi"],
    create: (n = 14) => new Adx(n),
  },
  obv: {
    description: "On-balance volume",
    params: [],
    inputs: ["close", "volume"],
    outputs: ["value"],
    create: () => new Obv(),
  },
  vwap: {
    description: "Volume-weighted average price, cumulative or per UTC day",
    params: [{ name: "resetDaily", kind: "boolean", default: false, description: "restart at each UTC day" }],
    inputs: ["high", "low", "close", "volume", "time"],
    outputs: ["value"],
    create: (resetDaily = false) => new Vwap(resetDaily),
  },
  superTrend: {
    description: "SuperTrend line and direction (1 up, -1 down)",
    params: [period(10, "ATR period"), { name: "multiplier", kind: "number", default: 3, min: 0, description: "ATRs" }],
    inputs: ["high", "low", "close"],
    outputs: ["value", "direction"],
    create: (n = 10, multiplier = 3) => new SuperTrend(n, multiplier),
  },
  donchian: {
    description: "Donchian channel: highest high, lowest low, midpoint",
    params: [period(20)],
    inputs: ["high", "low"],
    outputs: ["upper", "lower", "middle"],
    create: (n = 20) => new Donchian(n),
  },
  parabolicSar: {
    description: "Parabolic SAR and direction (1 long, -1 short)",
    params: [
      { name: "step", kind: "number", default: 0.02, min: 0, description: "acceleration step" },
      { name: "max", kind: "number", default: 0.2, min: 0, description: "maximum acceleration" },
    ],
    inputs: ["high", "low"],
    outputs: ["value", "direction"],
    create: (step = 0.02, max = 0.2) => new ParabolicSar(step, max),
  },
} as const satisfies Record<string, IndicatorSpec>;

/** An indicator's name in the registry, e.g. "rsi". */
export type IndicatorName = keyof typeof INDICATORS;
