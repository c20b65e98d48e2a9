import { describe, expect, it } from "vitest";
import { baseOf, fmt, pct, quoteOf } from "../../../core/risk/format.ts";

// fmt and pct take shortcuts for the common numbers (every verdict formats dozens); they must print
// exactly what the plain definition prints: the value rounded to 6 significant digits, read back as a
// number, written the way JavaScript writes it, but never in exponent form.

function plainFmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(6));
  if (rounded !== 0 && Math.abs(rounded) < 1e-6) {
    const digits = Math.min(100, 5 - Math.floor(Math.log10(Math.abs(rounded))));
    return rounded.toFixed(digits).replace(/\.?0+$/, "");
  }
  return String(rounded === 0 ? 0 : rounded);
}

const plainPct = (value: number) => `${plainFmt(Number(value.toFixed(2)))}%`;

/** Deterministic numbers across 30 orders of magnitude, rounded ones and boundary cases among them. */
function samples(): number[] {
  const out = [0, -0, 1e-6, 9.999996e-7, 9.999995e-7, 1e-7, 999999.5, 999999.4, 1e6, -1e6, 123456.5, 0.1 + 0.2];
  out.push(1 / 3, -2 / 3, 5e-324, 1e300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  out.push(9999.995, 9999.994, 10000.004, -0.001, -0.004, -0.005, 0.005, 0.015, 1.005, 43210.5, 1e-8, 2.5e-8);
  let seed = 7;
  const next = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (let i = 0; i < 200_000; i++) {
    let v = (next() - 0.5) * 2 * 10 ** (Math.floor(next() * 30) - 15);
    if (i % 5 === 0) v = Math.round(v * 100) / 100;
    if (i % 7 === 0) v = Math.round(v);
    out.push(v);
  }
  return out;
}

describe("number formatting in reasons", () => {
  it("fmt and pct print what the plain definition prints, for every sample", () => {
    const wrong = samples().filter((v) => fmt(v) !== plainFmt(v) || pct(v) !== plainPct(v));
    expect(wrong).toEqual([]);
  });

  it("reads as documented", () => {
    expect(fmt(0.023100000001)).toBe("0.0231");
    expect(fmt(27123.456789)).toBe("27123.5");
    expect(fmt(0.00000012)).toBe("0.00000012");
    expect(fmt(-0)).toBe("0");
    expect(pct(14.2345)).toBe("14.23%");
    expect(pct(10)).toBe("10%");
    expect(pct(-0.001)).toBe("0%");
  });

  it("splits symbols as split('/') would", () => {
    for (const symbol of ["BTC/USDT", "ETH/USDT:USDT", "AAPL", "", "/", "a/", "/b", "a/b/c", "a/b:c/d", "a//b"]) {
      expect(baseOf(symbol)).toBe(symbol.split("/")[0] ?? symbol);
      expect(quoteOf(symbol)).toBe(symbol.split("/")[1]?.split(":")[0] ?? "");
    }
  });
});
