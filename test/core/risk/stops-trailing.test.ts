import { describe, expect, it } from "vitest";
import {
  attachStops,
  initTrailing,
  type StopCandle,
  type StopState,
  type StopUpdate,
  updateStop,
} from "../../../core/risk/index.ts";

const bar = (open: number, high: number, low: number, close: number, atr?: number): StopCandle =>
  atr === undefined ? { open, high, low, close } : { open, high, low, close, atr };

/** Feeds candles until one triggers; returns the stop level in force before each candle, and the trigger. */
function run(
  state: StopState,
  candles: readonly StopCandle[],
): { levels: (number | null)[]; last: StopUpdate; state: StopState } {
  const levels: (number | null)[] = [];
  let last: StopUpdate = { state };
  for (const candle of candles) {
    levels.push(last.state.trailing?.stop ?? null);
    last = updateStop(last.state, candle);
    if (last.triggered) break;
  }
  return { levels, last, state: last.state };
}

describe("fixed % trailing stop", () => {
  it("trails 5% below the highest high since entry (long)", () => {
    const state = attachStops({ side: "buy", trailingStop: { mode: "percent", pct: 5 } }, { price: 100 });
    const { levels, last } = run(state, [
      bar(100, 104, 98, 103), // stop 95 (100 × 0.95); low 98 clear; new high 104 → 104 × 0.95 = 98.8
      bar(103, 110, 101, 108), // stop 98.8; low 101 clear; high 110 → 110 × 0.95 = 104.5
      bar(108, 109, 105, 106), // stop 104.5; low 105 clear; no new high → stays 104.5
      bar(106, 107, 103, 104), // stop 104.5; low 103 ≤ 104.5 → hit at 104.5
    ]);
    expect(levels.map((l) => l?.toFixed(6))).toEqual(["95.000000", "98.800000", "104.500000", "104.500000"]);
    expect(last.triggered).toMatchObject({ kind: "trailing-stop", level: levels[3], price: levels[3] });
    expect(last.triggered?.reason).toBe("trailing stop (5%) 104.5 hit: low 103 reached it, filled at 104.5");
  });

  it("trails 5% above the lowest low since entry (short)", () => {
    const state = attachStops({ side: "sell", trailingStop: { mode: "percent", pct: 5 } }, { price: 100 });
    const { levels, last } = run(state, [
      bar(100, 101, 96, 97), // stop 105; high 101 clear; low 96 → 96 × 1.05 = 100.8
      bar(97, 98, 90, 91), // stop 100.8; low 90 → 90 × 1.05 = 94.5
      bar(91, 95, 90.5, 94), // stop 94.5; high 95 ≥ 94.5 → hit
    ]);
    expect(levels.map((l) => l?.toFixed(6))).toEqual(["105.000000", "100.800000", "94.500000"]);
    expect(last.triggered?.price).toBeCloseTo(94.5, 9);
  });

  it("fills at the open when the bar gaps below the trail", () => {
    const state = attachStops({ side: "buy", trailingStop: { mode: "percent", pct: 5 } }, { price: 100 });
    const { last } = run(state, [bar(100, 110, 99, 108), bar(102, 103, 100, 101)]); // stop 104.5, opens at 102
    expect(last.triggered).toMatchObject({ kind: "trailing-stop", price: 102 });
  });

  it("does not move the stop on a bar's high and then test that bar's low against it", () => {
    // high 120 would lift the stop to 114, and the low 110 is under 114; but only the next bar faces 114
    const state = attachStops({ side: "buy", trailingStop: { mode: "percent", pct: 5 } }, { price: 100 });
    const first = updateStop(state, bar(100, 120, 110, 115));
    expect(first.triggered).toBeUndefined();
    expect(first.state.trailing?.stop).toBeCloseTo(114, 9);
  });
});

describe("ATR trailing stop", () => {
  it("trails multiple × ATR below the highest high, never loosening when the ATR widens", () => {
    const state = attachStops(
      { side: "buy", trailingStop: { mode: "atr", multiple: 2, period: 14 } },
      { price: 100, atr: 3 },
    );
    const { levels, last } = run(state, [
      bar(100, 104, 99, 103, 3), // stop 94 (100 − 2 × 3); high 104 → 104 − 6 = 98
      bar(103, 106, 102, 105, 4), // stop 98; high 106, ATR 4 → 106 − 8 = 98 → 98
      bar(105, 112, 104, 111), // stop 98; no ATR given, keeps 4; high 112 → 112 − 8 = 104
      bar(111, 111, 109, 110, 6), // stop 104; ATR 6 → 112 − 12 = 100 < 104 → stays 104
      bar(110, 110, 103, 104, 6), // stop 104; low 103 → hit at 104
    ]);
    expect(levels).toEqual([94, 98, 98, 104, 104]);
    expect(last.triggered).toMatchObject({ kind: "trailing-stop", price: 104 });
    expect(last.triggered?.reason).toBe("trailing stop (2 × ATR) 104 hit: low 103 reached it, filled at 104");
  });

  it("waits for an ATR when none was known at entry, the stop-loss protecting meanwhile", () => {
    const state = attachStops(
      { side: "buy", stopLoss: { pct: 10 }, trailingStop: { mode: "atr", multiple: 3, period: 14 } },
      { price: 100 },
    );
    expect(state.trailing?.stop).toBeNull();
    // no ATR: level null; then ATR 2 on a bar with high 102 → 102 − 6 = 96
    const { levels, state: after } = run(state, [bar(100, 101, 99, 100), bar(100, 102, 99, 101, 2)]);
    expect(levels).toEqual([null, null]);
    expect(after.trailing?.stop).toBe(96);
  });

  it("mirrors for a short", () => {
    const state = attachStops(
      { side: "sell", trailingStop: { mode: "atr", multiple: 2, period: 14 } },
      { price: 100, atr: 3 },
    );
    // stop 106; low 95 → 95 + 6 = 101; then high 101 → hit
    const { levels, last } = run(state, [bar(100, 101, 95, 96, 3), bar(96, 101, 95.5, 100, 3)]);
    expect(levels).toEqual([106, 101]);
    expect(last.triggered?.price).toBe(101);
  });
});

describe("step trailing stop (+5%: trail 3%, +10%: trail 2%)", () => {
  const bands = [
    { profitPct: 10, trailPct: 2 }, // given out of order on purpose
    { profitPct: 5, trailPct: 3 },
  ];

  it("trails tighter as the profit grows, nothing before the first band", () => {
    const state = attachStops(
      { side: "buy", stopLoss: { price: 97 }, trailingStop: { mode: "step", bands } },
      { price: 100 },
    );
    const { levels, last } = run(state, [
      bar(100, 103, 99, 102), // no trail (stop-loss 97 protects); high 103 = +3%: below the first band
      bar(102, 106, 101, 105), // high 106 = +6% → band 5%: 106 × 0.97 = 102.82
      bar(105, 107, 103, 106), // stop 102.82; low 103 clear; 107 × 0.97 = 103.79
      bar(106, 111, 105, 110), // stop 103.79; high 111 = +11% → band 10%: 111 × 0.98 = 108.78
      bar(110, 110.5, 108, 109), // stop 108.78; low 108 → hit
    ]);
    expect(levels.map((l) => (l === null ? null : Number(l.toFixed(6))))).toEqual([null, null, 102.82, 103.79, 108.78]);
    expect(last.triggered?.reason).toBe(
      "trailing stop (step, +10% band) 108.78 hit: low 108 reached it, filled at 108.78",
    );
  });

  it("reaches a band at exactly its profit", () => {
    // high 105 on entry 100 is exactly +5%: 105 × 0.97 = 101.85
    const state = attachStops({ side: "buy", trailingStop: { mode: "step", bands } }, { price: 100 });
    expect(updateStop(state, bar(100, 105, 99, 104)).state.trailing?.stop).toBeCloseTo(101.85, 9);
  });

  it("hands protection from the stop-loss to the trail once the trail is tighter", () => {
    const state = attachStops(
      { side: "buy", stopLoss: { price: 97 }, trailingStop: { mode: "step", bands } },
      { price: 100 },
    );
    // +6% → trail 102.82; a low of 102 is above the stop-loss but below the trail
    const after = updateStop(state, bar(100, 106, 101, 105)).state;
    expect(updateStop(after, bar(105, 105, 102, 103)).triggered).toMatchObject({
      kind: "trailing-stop",
      price: 102.82,
    });
  });

  it("mirrors for a short", () => {
    const state = attachStops({ side: "sell", trailingStop: { mode: "step", bands } }, { price: 100 });
    // low 94 = +6% → 94 × 1.03 = 96.82
    expect(updateStop(state, bar(100, 100, 94, 95)).state.trailing?.stop).toBeCloseTo(96.82, 9);
  });
});

describe("parabolic SAR trailing stop (step 0.02, max 0.2)", () => {
  it("follows Wilder's SAR below a long, hand-checked", () => {
    // entry bar 100/103/99/102: SAR 99 (its low), EP 103 (its high), af 0.02
    const state = attachStops(
      { side: "buy", trailingStop: { mode: "sar", step: 0.02, max: 0.2 } },
      { price: 102, candle: bar(100, 103, 99, 102) },
    );
    const { levels, last } = run(state, [
      // SAR 99. New high 105: EP 105, af 0.04; 99 + 0.04 × (105 − 99) = 99.24, capped at min(low 99 before, 101) = 99
      bar(102, 105, 101, 104),
      // SAR 99. EP 108, af 0.06; 99 + 0.06 × (108 − 99) = 99.54; cap min(101, 103) not binding
      bar(104, 108, 103, 107),
      // SAR 99.54. EP 110, af 0.08; 99.54 + 0.08 × (110 − 99.54) = 99.54 + 0.8368 = 100.3768
      bar(107, 110, 106, 109),
      // SAR 100.3768. No new high: EP 110, af 0.08; 100.3768 + 0.08 × 9.6232 = 101.146656
      bar(109, 109.5, 107, 108),
      // SAR 101.146656; low 100.5 → hit at the SAR
      bar(108, 108.5, 100.5, 101),
    ]);
    expect(levels.map((l) => Number(l?.toFixed(9)))).toEqual([99, 99, 99.54, 100.3768, 101.146656]);
    expect(last.triggered).toMatchObject({ kind: "trailing-stop" });
    expect(last.triggered?.price).toBeCloseTo(101.146656, 9);
    expect(last.triggered?.reason).toBe(
      "trailing stop (SAR 0.02/0.2) 101.147 hit: low 100.5 reached it, filled at 101.147",
    );
  });

  it("follows Wilder's SAR above a short, hand-checked", () => {
    // entry bar 100/101/97/98: SAR 101, EP 97
    const state = attachStops(
      { side: "sell", trailingStop: { mode: "sar", step: 0.02, max: 0.2 } },
      { price: 98, candle: bar(100, 101, 97, 98) },
    );
    const { levels, last } = run(state, [
      bar(98, 99, 95, 96), // SAR 101. EP 95, af 0.04: 101 − 0.04 × 6 = 100.76, capped at max(101, 99) = 101
      bar(96, 97, 92, 93), // SAR 101. EP 92, af 0.06: 101 − 0.06 × 9 = 100.46
      bar(93, 94, 90, 91), // SAR 100.46. EP 90, af 0.08: 100.46 − 0.08 × 10.46 = 99.6232
      bar(91, 100, 90.5, 99), // SAR 99.6232; high 100 → hit
    ]);
    expect(levels.map((l) => Number(l?.toFixed(9)))).toEqual([101, 101, 100.46, 99.6232]);
    expect(last.triggered?.price).toBeCloseTo(99.6232, 9);
  });

  it("caps the acceleration at max", () => {
    // ten new highs in a row: af 0.02 → 0.04 … would reach 0.22, but stops at 0.2
    let state = attachStops(
      { side: "buy", trailingStop: { mode: "sar", step: 0.02, max: 0.2 } },
      { price: 100, candle: bar(100, 100, 99, 100) },
    );
    for (let i = 1; i <= 10; i++) state = updateStop(state, bar(100 + i, 101 + i, 100 + i, 101 + i)).state;
    expect(state.trailing).toMatchObject({ mode: "sar", af: 0.2, ep: 111 });
  });

  it("seeds from the first candle when the entry candle is unknown", () => {
    const state = attachStops({ side: "buy", trailingStop: { mode: "sar", step: 0.02, max: 0.2 } }, { price: 100 });
    expect(state.trailing?.stop).toBeNull();
    const first = updateStop(state, bar(100, 102, 90, 101)); // would be far below any SAR: nothing to hit yet
    expect(first.triggered).toBeUndefined();
    expect(first.state.trailing).toMatchObject({ stop: 90, ep: 102 });
  });
});

describe("persisted stops", () => {
  const candles = [
    bar(100, 104, 98, 103, 3),
    bar(103, 110, 101, 108, 3.5),
    bar(108, 109, 105, 106, 4),
    bar(106, 112, 104, 111, 4),
    bar(111, 113, 108, 109, 4.5),
    bar(109, 110, 100, 101, 5),
  ];
  const specs = [
    { mode: "percent", pct: 4 },
    { mode: "atr", multiple: 1.5, period: 14 },
    { mode: "step", bands: [{ profitPct: 3, trailPct: 3 }] },
    { mode: "sar", step: 0.02, max: 0.2 },
  ] as const;

  for (const spec of specs) {
    it(`${spec.mode}: survives a JSON round trip mid-trade (a restart) unchanged`, () => {
      const start = attachStops(
        { side: "buy", stopLoss: { pct: 8 }, trailingStop: spec },
        { price: 100, atr: 3, candle: bar(99, 101, 98, 100) },
      );
      const straight = run(start, candles);
      let restarted = start;
      for (const [i, candle] of candles.entries()) {
        restarted = JSON.parse(JSON.stringify(restarted)) as StopState;
        const step = updateStop(restarted, candle);
        if (step.triggered) {
          expect(step.triggered).toEqual(straight.last.triggered);
          expect(i + 1).toBe(straight.levels.length);
          return;
        }
        restarted = step.state;
      }
      expect(restarted).toEqual(straight.state);
      expect(straight.last.triggered).toBeUndefined();
    });
  }

  it("keeps states plain data", () => {
    const state = initTrailing({ mode: "step", bands: [{ profitPct: 5, trailPct: 3 }] }, { side: "long", price: 100 });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
