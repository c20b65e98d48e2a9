import { describe, expect, it } from "vitest";
import { amountKey } from "../../../core/execution/amount-key.ts";

/** The definition: rounded to 12 significant digits, read back, printed. */
const byRoundTrip = (value: number) => String(Number(value.toPrecision(12)));

describe("amountKey", () => {
  it("forgives float noise", () => {
    expect(amountKey(0.1 + 0.2)).toBe("0.3");
    expect(amountKey(0.30000000000000004)).toBe(amountKey(0.3));
  });

  it("is the 12-digit round trip for every kind of number, including one asked for twice in a row", () => {
    let seed = 5;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const values = [0, -0, 1, 1e21, 1e-7, 5e-324, 123_456_789_012.5, Number.NaN, Number.POSITIVE_INFINITY];
    for (let i = 0; i < 5_000; i++) {
      const raw = next() * 10 ** Math.floor(next() * 30 - 15);
      values.push(raw, Math.round(raw * 1e8) / 1e8, raw * 3 + raw * 0.1);
    }
    for (const value of values) {
      expect(amountKey(value)).toBe(byRoundTrip(value));
      expect(amountKey(value)).toBe(byRoundTrip(value));
    }
  });
});
