import { describe, expect, it } from "vitest";
import {
  formatCompact,
  formatMoney,
  formatNumber,
  formatPercent,
  formatSigned,
  formatUtc,
  isIntraday,
} from "../../../core/charts/format.ts";

describe("chart number and time formats", () => {
  it("groups thousands and keeps only the decimals a value's size needs", () => {
    expect(formatNumber(19565.47)).toBe("19,565.47");
    expect(formatNumber(1_234_567)).toBe("1,234,567");
    expect(formatNumber(12.345678)).toBe("12.3457");
    expect(formatNumber(0.000012345)).toBe("0.00001235");
    expect(formatNumber(1234.5678, 0)).toBe("1,235");
    expect(formatNumber(-0.0001, 2)).toBe("0");
    expect(formatNumber(-2500)).toBe("-2,500");
  });

  it("writes money with two decimals, signs on PnL, compact volumes and percentages", () => {
    expect(formatMoney(35933.5)).toBe("35,933.50");
    expect(formatSigned(1234.5)).toBe("+1,234.50");
    expect(formatSigned(-80)).toBe("-80.00");
    expect(formatSigned(0.001)).toBe("0.00");
    expect(formatCompact(18_500)).toBe("18.5K");
    expect(formatCompact(3_240_000)).toBe("3.2M");
    expect(formatCompact(950)).toBe("950");
    expect(formatPercent(-12.345)).toBe("-12.3%");
    expect(formatPercent(4.56, 1, true)).toBe("+4.6%");
  });

  it("reads NaN and Infinity as a dash instead of printing them", () => {
    for (const f of [formatNumber, formatMoney, formatSigned, formatCompact, formatPercent, formatUtc]) {
      expect(f(Number.NaN)).toBe("–");
      expect(f(Number.POSITIVE_INFINITY)).toBe("–");
    }
  });

  it("prints times in UTC whatever the machine's zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Seoul";
    try {
      expect(formatUtc(Date.UTC(2024, 2, 1, 23, 30))).toBe("2024-03-01");
      expect(formatUtc(Date.UTC(2024, 2, 1, 23, 30), true)).toBe("2024-03-01 23:30");
    } finally {
      process.env.TZ = zone;
    }
  });

  it("tells intraday spacing from daily", () => {
    const h = 3_600_000;
    expect(isIntraday([0, h, 2 * h])).toBe(true);
    expect(isIntraday([0, 24 * h, 48 * h])).toBe(false);
    expect(isIntraday([0])).toBe(false);
  });
});
