import { describe, expect, it } from "vitest";
import type { MetricsSummary } from "../../../core/backtest/metrics/types.ts";
import { heatmapData, parseMetric, rankRows, type SweepRow } from "../../../core/backtest/sweep/rank.ts";
import { planSweep } from "../../../core/backtest/sweep/run.ts";
import type { ParamSpec } from "../../../core/plugins/manifest-schema.ts";
import { settings } from "./metrics-fixture.ts";

function row(index: number, fast: number, slow: number, sharpe: number | null, volatility = 0.5): SweepRow {
  return { index, params: { fast, slow }, metrics: { sharpe, volatility } as MetricsSummary };
}

describe("ranking", () => {
  const rows: SweepRow[] = [
    row(0, 5, 20, 0.5),
    row(1, 5, 30, null), // no volatility: Sharpe undefined
    row(2, 10, 20, 1.5, 0.2),
    { index: 3, params: { fast: 10, slow: 30 }, error: "fast (30) must be shorter than slow (20)" },
    row(4, 15, 20, 1.5, 0.1), // ties with row 2: grid order decides
    row(5, 15, 30, -0.2),
  ];

  it("best first by the metric, ties in grid order, undefined values last, failures out", () => {
    expect(rankRows(rows, "sharpe").map((r) => r.index)).toEqual([2, 4, 0, 5, 1]);
  });

  it("lower is better for volatility", () => {
    expect(rankRows(rows, "volatility").map((r) => r.index)).toEqual([4, 2, 0, 1, 5]);
  });

  it("does not depend on the order rows arrive in", () => {
    const shuffled = [rows[5], rows[2], rows[0], rows[4], rows[1], rows[3]] as SweepRow[];
    expect(rankRows(shuffled, "sharpe")).toEqual(rankRows(rows, "sharpe"));
  });

  it("metric names and aliases; unknown ones in one line", () => {
    expect(parseMetric("sharpe")).toBe("sharpe");
    expect(parseMetric("return")).toBe("totalReturn");
    expect(parseMetric("profit-factor")).toBe("profitFactor");
    expect(() => parseMetric("sharp")).toThrow(
      /^--metric sharp: unknown metric \(did you mean "sharpe"\?\) \(one of sharpe, /,
    );
  });

  it("heatmap cells by two params; null where nothing ran", () => {
    const data = heatmapData(rows, { name: "fast", values: [5, 10, 15] }, { name: "slow", values: [20, 30] }, "sharpe");
    expect(data.values).toEqual([
      [0.5, 1.5, 1.5],
      [null, null, -0.2],
    ]);
  });

  it("with a third swept param each cell keeps the best over it", () => {
    const three: SweepRow[] = [
      { index: 0, params: { fast: 5, slow: 20, fraction: 0.5 }, metrics: { sharpe: 0.3 } as MetricsSummary },
      { index: 1, params: { fast: 5, slow: 20, fraction: 1 }, metrics: { sharpe: 0.9 } as MetricsSummary },
    ];
    const data = heatmapData(three, { name: "fast", values: [5] }, { name: "slow", values: [20] }, "sharpe");
    expect(data.values).toEqual([[0.9]]);
  });
});

describe("planSweep", () => {
  const manifest = {
    params: {
      fast: { type: "integer", default: 10, min: 1, max: 500, step: 1 },
      slow: { type: "integer", default: 30, min: 2, max: 1000, step: 1 },
    } as Record<string, ParamSpec>,
  };

  it("skips combinations the manifest rejects, with its reason, and fills defaults into the rest", () => {
    const plan = planSweep(manifest, settings({ params: {} }), [{ fast: 0 }, { fast: 5 }, { fast: 5, slow: 1.5 }]);
    expect(plan.rows).toEqual([
      { index: 0, params: { fast: 0 }, error: "params.fast: expected an integer from 1 to 500, got 0" },
      {
        index: 2,
        params: { fast: 5, slow: 1.5 },
        error: "params.slow: expected an integer from 2 to 1000, got 1.5",
      },
    ]);
    expect(plan.jobs.map((j) => [j.index, j.settings.params])).toEqual([[1, { fast: 5, slow: 30 }]]);
  });
});
