import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CompactRunV2, compactRun, expandRun, type StoredColumn } from "../../../core/backtest/compact.ts";
import { loadBacktest, runBacktestInProcess, saveBacktest } from "../../../core/backtest/index.ts";
import { runFromColumns, type StepColumns, stepColumns } from "../../../core/backtest/step-columns.ts";
import type { BacktestRun } from "../../../core/backtest/types.ts";
import { saveBacktestResult } from "../../../core/store/repositories/backtests.ts";
import { type BacktestWorld, btcHoursWorld, PLUGINS, settings } from "../trading/backtest-helpers.ts";
import { HOUR, makeRun, T0, trade } from "./metrics-fixture.ts";

// A run is stored (backtest_results.result_json) in its compact form: v2 encodes the step columns.
// Rows written as v1 (each column's raw bytes in base64) by older versions must still load, and any
// run must load back as the same JSON, bit for bit in its columns.

/** A run as v1 stored it, written here as v1's code wrote it: each step column's raw Float64 bytes in base64. */
function v1Row(run: BacktestRun, columns: StepColumns = stepColumns(run)) {
  const raw = (column: Float64Array) =>
    Buffer.from(column.buffer, column.byteOffset, column.byteLength).toString("base64");
  return {
    v: 1,
    data: run.data,
    fills: run.fills.map((f) => [
      f.id,
      f.clientOrderId,
      f.accountId,
      f.strategyId,
      f.symbol,
      f.side,
      f.amount,
      f.price,
      f.fee,
      f.feeCurrency,
      f.time,
    ]),
    trades: run.trades,
    time: raw(columns.time),
    equity: raw(columns.equity),
    cash: raw(columns.cash),
    close: raw(columns.close),
    verdicts: run.verdicts,
    openAtEnd: run.openAtEnd,
  };
}

/** A run with NaN, -0 and infinities among its steps (fills are JSON: -0 is 0 there, as ever), two fills and a trade. */
function handMade(): BacktestRun {
  const equity = [100, 101.5, -0, Number.NaN, Number.POSITIVE_INFINITY, 99.25, 99.25, 99.25, 99.25, 99.25, 103];
  const benchmark = [Number.NaN, Number.NaN, 50.01, 50.02, 50.02, 49.99, 50, 50, 50, 50, -0];
  const run = makeRun(equity, { trades: [trade(3, T0 + HOUR, T0 + 3 * HOUR)], fees: [0.1, 0.2], benchmark });
  return { id: "c".repeat(64), ...run };
}

/** The run's step columns with a NaN of its own payload in equity: what only the bytes tell apart. */
function withNanPayload(run: BacktestRun): BacktestRun {
  const columns = stepColumns(run);
  const equity = Float64Array.from(columns.equity);
  new Uint32Array(equity.buffer)[2 * 3] = 0xbeef;
  const { equity: _e, benchmark: _b, ...head } = run;
  return runFromColumns(head, { ...columns, equity });
}

function bytesOf(columns: StepColumns): Buffer {
  return Buffer.concat([columns.time, columns.equity, columns.cash, columns.close].map((c) => Buffer.from(c.buffer)));
}

const headOf = (run: BacktestRun) => ({ id: run.id, settings: run.settings, plugin: run.plugin });

describe("a stored run", () => {
  it("is written as v2 and read back as the same run, bit for bit", () => {
    const run = withNanPayload(handMade());
    const stored = JSON.parse(JSON.stringify(compactRun(run)));
    expect(stored.v).toBe(2);
    const back = expandRun(stored, headOf(run));
    expect(JSON.stringify(back)).toBe(JSON.stringify(run));
    expect(bytesOf(stepColumns(back)).equals(bytesOf(stepColumns(run)))).toBe(true);
    expect(Object.is(back.equity[2]?.equity, -0)).toBe(true);
    expect(Object.is(back.benchmark[10]?.close, -0)).toBe(true);
    expect(back.equity[4]?.equity).toBe(Number.POSITIVE_INFINITY);
  });

  it("still reads a v1 row, bit for bit", () => {
    const run = withNanPayload(handMade());
    const back = expandRun(JSON.parse(JSON.stringify(v1Row(run))), headOf(run));
    expect(JSON.stringify(back)).toBe(JSON.stringify(run));
    expect(bytesOf(stepColumns(back)).equals(bytesOf(stepColumns(run)))).toBe(true);
    expect(Object.is(back.equity[2]?.equity, -0)).toBe(true);
    expect(back.fills).toEqual(run.fills);
  });

  it("refuses a v2 row whose columns do not decode whole", () => {
    const run = handMade();
    const tampered: readonly [string, (c: Record<string, StoredColumn>) => void, RegExp][] = [
      [
        "ops cut inside an entry",
        (c) => (c.time = { ...(c.time as StoredColumn), ops: "AAA=" }),
        /^a stored column of 2 bytes$/,
      ],
      [
        "a column shorter than its runs",
        (c) => (c.equity = { ...(c.equity as StoredColumn), length: 5 }),
        /a malformed step column: run \d+: past the end/,
      ],
      [
        "deltas read as Int32 that were written as Int16",
        (c) => (c.equity = { ...(c.equity as StoredColumn), deltaBytes: 4 }),
        /a malformed step column: deltas: 1, the runs take 2/,
      ],
      [
        "columns of two lengths",
        (c) => (c.cash = JSON.parse(JSON.stringify(compactRun(makeRun([1, 2, 3])))).cash),
        /not of one length/,
      ],
    ];
    for (const [, tamper, problem] of tampered) {
      const stored = JSON.parse(JSON.stringify(compactRun(run))) as CompactRunV2 & Record<string, StoredColumn>;
      tamper(stored);
      expect(() => expandRun(stored, headOf(run))).toThrow(problem);
    }
  });
});

describe("a real run stored", () => {
  let w: BacktestWorld;
  let run: BacktestRun;
  beforeAll(async () => {
    w = await btcHoursWorld("compact");
    const from = Date.UTC(2020, 11, 15);
    run = await runBacktestInProcess(
      settings({ from, to: from + 4000 * HOUR, params: { fast: 10, slow: 30 }, fill: "next-open", closeAtEnd: true }),
      { store: w.store, cacheDir: w.cacheDir, pluginRoots: [PLUGINS] },
    );
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  const resultJson = async (id: string) =>
    (await w.store.db.selectFrom("backtest_results").select("result_json").where("id", "=", id).executeTakeFirst())
      ?.result_json as string;

  it("loads back as the same JSON, in well under the bytes of v1", async () => {
    const id = await saveBacktest(w.store, run, {}, 1_700_000_000_000);
    const loaded = await loadBacktest(w.store, id);
    expect(JSON.stringify(loaded?.run)).toBe(JSON.stringify(run));
    const stored = await resultJson(id);
    expect(JSON.parse(stored).v).toBe(2);
    // The columns alone: v2's against v1's raw bytes, fills and trades being the same in both.
    const { time, equity, cash, close } = JSON.parse(stored) as CompactRunV2;
    const v1 = v1Row(run);
    const v2Columns = JSON.stringify([time, equity, cash, close]).length;
    const v1Columns = JSON.stringify([v1.time, v1.equity, v1.cash, v1.close]).length;
    expect(v2Columns).toBeLessThan(v1Columns / 2);
  });

  it("loads from a v1 row stored by an older version", async () => {
    const id = "1".repeat(64);
    const old = { ...run, id };
    await saveBacktestResult(w.store.db, {
      id,
      pluginId: run.plugin.id,
      pluginVersion: run.plugin.version,
      codeHash: run.plugin.codeHash,
      params: run.settings.params,
      symbols: run.settings.symbols,
      timeframe: run.settings.timeframe,
      from: run.data.first,
      to: run.data.last,
      settings: run.settings,
      engineVersion: "0.1.0",
      metrics: {},
      result: v1Row(run),
      createdAt: 1_700_000_000_000,
    });
    expect(JSON.parse(await resultJson(id)).v).toBe(1);
    const loaded = await loadBacktest(w.store, id);
    expect(JSON.stringify(loaded?.run)).toBe(JSON.stringify(old));
  });
});
