import { describe, expect, it } from "vitest";
import { compactRun, expandRun } from "../../../core/backtest/compact.ts";
import { computeMetrics } from "../../../core/backtest/metrics/index.ts";
import { runFromColumns, stepColumns } from "../../../core/backtest/step-columns.ts";
import { decodeColumn } from "../../../core/backtest/step-decoding.ts";
import type { BacktestRun } from "../../../core/backtest/types.ts";
import { fromWire, toWire } from "../../../core/backtest/wire.ts";
import { HOUR, makeRun, T0, trade } from "./metrics-fixture.ts";

// A simulated run keeps its per-step series as columns and builds the points only when they are read:
// whoever reads it (JSON, spread, structured clone, metrics) must not be able to tell.

/** The same run as a plain object, and as columns behind a lazily built run. */
function both(): { plain: BacktestRun; lazy: BacktestRun } {
  const equity = [100, 101.5, 99.25, 103, 103, 104.125];
  const plain: BacktestRun = {
    id: "f".repeat(64),
    ...makeRun(equity, {
      trades: [trade(3, T0 + HOUR, T0 + 3 * HOUR)],
      fees: [0.1, 0.2],
      benchmark: [50, 51, Number.NaN, 52, 52.5, 53],
    }),
  };
  const columns = {
    time: Float64Array.from(plain.equity, (p) => p.time),
    equity: Float64Array.from(plain.equity, (p) => p.equity),
    cash: Float64Array.from(plain.equity, (p) => p.cash),
    close: Float64Array.from(plain.benchmark, (p) => p.close),
  };
  const { equity: _e, benchmark: _b, ...head } = plain;
  return { plain, lazy: runFromColumns(head, columns) };
}

describe("runs built from step columns", () => {
  it("read, serialise, spread and clone exactly like the plain run, keys in the same order", () => {
    const { plain, lazy } = both();
    expect(Object.keys(lazy)).toEqual(Object.keys(plain));
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(plain));
    expect(structuredClone(lazy)).toEqual(plain);
    expect({ ...both().lazy }).toEqual(plain);
    expect(lazy.equity[2]).toEqual(plain.equity[2]);
    expect(lazy.benchmark).toEqual(plain.benchmark);
    // Read twice, built once.
    expect(lazy.equity).toBe(lazy.equity);
  });

  it("hand their columns to metrics and the stored form without building the points", () => {
    const { plain, lazy } = both();
    const columns = stepColumns(lazy);
    expect(stepColumns(lazy)).toBe(columns);
    expect(computeMetrics(lazy)).toEqual(computeMetrics(plain));
    expect(JSON.stringify(compactRun(lazy))).toBe(JSON.stringify(compactRun(plain)));
    expect(decodeColumn(toWire(lazy).equity)).toEqual(columns.equity);
    // Still not built: the property is the accessor it started as.
    expect(Object.getOwnPropertyDescriptor(lazy, "equity")?.get).toBeTypeOf("function");
  });

  it("come back from the wire and the store as the same run", () => {
    const { plain, lazy } = both();
    const stored = expandRun(JSON.parse(JSON.stringify(compactRun(lazy))), {
      id: plain.id,
      settings: plain.settings,
      plugin: plain.plugin,
    });
    expect(JSON.stringify(stored)).toBe(JSON.stringify(plain));
    expect(JSON.stringify(fromWire(structuredClone(toWire(lazy))))).toBe(JSON.stringify(plain));
    expect(stepColumns(plain).close[2]).toBeNaN();
  });
});
