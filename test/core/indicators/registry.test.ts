import { describe, expect, it } from "vitest";
import * as ta from "../../../core/indicators/index.ts";
import { INDICATORS, type IndicatorName, type StreamingIndicator } from "../../../core/indicators/index.ts";
import { candles } from "./candles.ts";

const names = Object.keys(INDICATORS) as IndicatorName[];

describe("INDICATORS registry", () => {
  it("lists the fourteen indicators of the issue", () => {
    expect(names.sort()).toEqual(
      [
        "adx",
        "atr",
        "bollinger",
        "donchian",
        "ema",
        "macd",
        "obv",
        "parabolicSar",
        "rsi",
        "sma",
        "stochastic",
        "superTrend",
        "vwap",
        "wma",
      ].sort(),
    );
  });

  it.each(names)("%s: builds from its defaults, reads its inputs, fills its outputs", (name) => {
    const spec = INDICATORS[name];
    const defaults = spec.params.map((p) => p.default);
    for (const p of spec.params) {
      if (p.kind === "boolean") expect(typeof p.default).toBe("boolean");
      else expect(p.default as number).toBeGreaterThanOrEqual(p.min ?? Number.NEGATIVE_INFINITY);
    }
    const ind = (spec.create as (...args: unknown[]) => StreamingIndicator)(...defaults);
    const fields = ind as unknown as Record<string, number>;
    expect(ind.ready).toBe(false);
    for (const out of spec.outputs) expect(fields[out]).toBeNaN();

    const cols = candles("binance_BTC-USDT_1d.csv") as unknown as Record<string, number[]>;
    for (let i = 0; i < 100; i++) ind.update(...spec.inputs.map((input) => cols[input]![i]!));
    expect(ind.ready).toBe(true);
    for (const out of spec.outputs) expect(Number.isFinite(fields[out])).toBe(true);

    ind.reset();
    expect(ind.ready).toBe(false);
  });

  it("create passes parameters through in order", () => {
    const bb = INDICATORS.bollinger.create(10, 1.5);
    expect([bb.period, bb.multiplier]).toEqual([10, 1.5]);
    const st = INDICATORS.stochastic.create(9, 2, 4);
    expect([st.kPeriod, st.kSmooth, st.dPeriod]).toEqual([9, 2, 4]);
    expect(INDICATORS.vwap.create(true).resetDaily).toBe(true);
  });

  it("every indicator class and batch helper is exported", () => {
    for (const key of ["Sma", "Ema", "Wma", "Rsi", "Macd", "Bollinger", "Atr", "Stochastic", "Adx", "Obv", "Vwap"]) {
      expect(typeof (ta as Record<string, unknown>)[key]).toBe("function");
    }
    for (const key of ["SuperTrend", "Donchian", "ParabolicSar", "sma", "superTrend", "parabolicSar"]) {
      expect(typeof (ta as Record<string, unknown>)[key]).toBe("function");
    }
  });
});
