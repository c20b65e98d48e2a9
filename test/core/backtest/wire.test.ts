import v8 from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asChildMessage } from "../../../core/backtest/child-protocol.ts";
import { runBacktestInProcess } from "../../../core/backtest/index.ts";
import { type EncodedColumn, encodeColumn, KIND_BITS } from "../../../core/backtest/step-encoding.ts";
import type { BacktestRun, BacktestSettings, BacktestTrade } from "../../../core/backtest/types.ts";
import { fromWire, toWire, type WireRun, wireProblem } from "../../../core/backtest/wire.ts";
import type { FillColumns } from "../../../core/backtest/wire-fills.ts";
import type { TradeColumns } from "../../../core/backtest/wire-trades.ts";
import type { Fill } from "../../../core/domain/index.ts";
import { type BacktestWorld, backtestWorld, importSample, PLUGINS, settings } from "../trading/backtest-helpers.ts";
import { makeRun } from "./metrics-fixture.ts";

// A backtest child sends its run as toWire's columns; the parent rebuilds it with fromWire. Whatever the
// run, the parent's copy must serialise to the child's bytes, and a malformed message must be refused
// before anything reads it.

/** Through v8's serializer and back, as the child process channel ("advanced") carries a message. */
function overTheWire(run: BacktestRun): { wire: WireRun; back: BacktestRun } {
  const wire = toWire(run);
  return { wire, back: fromWire(v8.deserialize(v8.serialize(wire)) as WireRun) };
}

describe("a real run over the wire", () => {
  const FROM = Date.UTC(2020, 11, 15);
  let w: BacktestWorld;
  beforeAll(async () => {
    w = await backtestWorld("wire");
    for (const symbol of ["BTC/USDT", "ETH/USDT"]) {
      const file = `binance_${symbol.replace("/", "-")}_1h.csv.gz`;
      await importSample(w.store, file, { exchange: "binance", symbol, timeframe: "1h" });
    }
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  const cases: readonly [string, Partial<BacktestSettings>, (run: BacktestRun) => void][] = [
    [
      "sma-cross long and short with a stop-loss, left open at the end",
      { plugin: "sma-cross", params: { fast: 10, slow: 30, allowShort: true, stopLossPct: 2 }, allowShort: true },
      (run) => {
        expect(run.trades.some((t) => t.direction === "short")).toBe(true);
        expect(run.trades.some((t) => t.exitReason === "stop-loss")).toBe(true);
        expect(run.trades.some((t) => t.exitReason?.includes("crossed"))).toBe(true);
        expect(Object.keys(run.trades.at(-1) as BacktestTrade)).not.toContain("exitTime");
      },
    ],
    [
      "supertrend with its trailing stop, closed at the end",
      { plugin: "supertrend", params: { allowShort: true }, allowShort: true, closeAtEnd: true },
      (run) => expect(run.trades.every((t) => t.exitReason !== undefined)).toBe(true),
    ],
    [
      "grid, whose reasons name its levels",
      { plugin: "grid", params: {} },
      (run) => expect(run.trades.some((t) => t.exitReason?.startsWith("grid: sell"))).toBe(true),
    ],
    [
      "haa-rebalance over two symbols",
      { plugin: "haa-rebalance", symbols: ["BTC/USDT", "ETH/USDT"], params: { rebalanceEvery: 24 } },
      (run) => expect(new Set(run.fills.map((f) => f.symbol)).size).toBe(2),
    ],
    [
      "dca, one trade built from many fills and still open",
      { plugin: "dca", params: {} },
      (run) => expect(run.trades.filter((t) => t.exitTime === undefined)).toHaveLength(1),
    ],
  ];

  it.each(cases)("%s: the same JSON on both sides, fills and trades sent as columns", async (_, over, check) => {
    const run = await runBacktestInProcess(
      settings({ cash: 10_000, from: FROM, to: FROM + 3000 * 3_600_000, slippageBps: 2, ...over }),
      { store: w.store, cacheDir: w.cacheDir, pluginRoots: [PLUGINS] },
    );
    check(run);
    expect(run.fills.length).toBeGreaterThan(0);
    const { wire, back } = overTheWire(run);
    expect(Array.isArray(wire.fills)).toBe(false);
    expect(Array.isArray(wire.trades)).toBe(false);
    expect(wireProblem(wire)).toBeUndefined();
    expect(JSON.stringify(back)).toBe(JSON.stringify(run));
  });
});

/** A fill as the executor writes it. */
function fill(over: Partial<Fill> = {}): Fill {
  return {
    id: "qc-a:1",
    clientOrderId: "qc-a",
    accountId: "backtest",
    strategyId: "sma-cross",
    symbol: "BTC/USDT",
    side: "buy",
    amount: 1,
    price: 100,
    fee: 0.1,
    feeCurrency: "USDT",
    time: 1_700_000_000_000,
    ...over,
  };
}

/** A trade as roundTrips writes it: open, closed, or closed with a reason. */
function trade(exit?: { time: number; price: number; reason?: string }, over: Partial<BacktestTrade> = {}) {
  const t: { -readonly [K in keyof BacktestTrade]: BacktestTrade[K] } = {
    symbol: "BTC/USDT",
    direction: "long",
    quantity: 1,
    entryTime: 1_700_000_000_000,
    entryPrice: 100,
    pnl: 1,
    pnlPct: 1,
    fees: 0.2,
    ...over,
  };
  if (exit) {
    t.exitTime = exit.time;
    t.exitPrice = exit.price;
    if (exit.reason !== undefined) t.exitReason = exit.reason;
  }
  return t as BacktestTrade;
}

function runWith(fills: readonly Fill[], trades: readonly BacktestTrade[], equity = [100, 101, 102]): BacktestRun {
  return { id: "e".repeat(64), ...makeRun(equity), fills, trades };
}

describe("runs made by hand over the wire", () => {
  it("with no fills and no trades", () => {
    const run = runWith([], []);
    const { wire, back } = overTheWire(run);
    expect(wire.fills).not.toBeInstanceOf(Array);
    expect(back.fills).toEqual([]);
    expect(back.trades).toEqual([]);
    expect(JSON.stringify(back)).toBe(JSON.stringify(run));
  });

  it("keep NaN, -0, unicode and each trade's own keys exactly", () => {
    const fills = [
      fill({ id: "qc-ü:½", clientOrderId: "qc-ü", symbol: "ÄPFEL/€", fee: -0, price: Number.NaN }),
      fill({ id: "qc-😀:2", clientOrderId: "qc-😀", side: "sell", amount: Number.POSITIVE_INFINITY, time: -0 }),
      fill({ id: "", clientOrderId: "", accountId: "", feeCurrency: "\ud800" }),
    ];
    const trades = [
      trade({ time: 2, price: -0, reason: "stop — 止损 🛑" }, { pnl: Number.NaN, direction: "short" }),
      trade({ time: 3, price: 101 }, { symbol: "ÄPFEL/€", fees: -0 }),
      trade(undefined, { pnlPct: Number.NEGATIVE_INFINITY }),
    ];
    const run = runWith(fills, trades, [100, Number.NaN, -0]);
    const { wire, back } = overTheWire(run);
    expect(wire.fills).not.toBeInstanceOf(Array);
    expect(wire.trades).not.toBeInstanceOf(Array);
    expect(JSON.stringify(back)).toBe(JSON.stringify(run));
    // JSON cannot tell these apart: the objects must.
    expect(back.fills).toEqual(fills);
    expect(Object.is(back.fills[0]?.fee, -0)).toBe(true);
    expect(Object.is(back.fills[1]?.time, -0)).toBe(true);
    expect(back.fills[0]?.price).toBeNaN();
    expect(back.fills[2]?.feeCurrency).toBe("\ud800");
    expect(back.trades).toEqual(trades);
    expect(back.trades.map((t) => Object.keys(t))).toEqual(trades.map((t) => Object.keys(t)));
    expect(Object.is(back.trades[0]?.exitPrice, -0)).toBe(true);
    expect(Object.is(back.equity[2]?.equity, -0)).toBe(true);
    expect(back.equity[1]?.equity).toBeNaN();
  });

  it("send as they are the fills and trades that are not shaped as the engine writes them", () => {
    const odd: readonly [string, Fill[], BacktestTrade[]][] = [
      ["a fill with a key more", [fill(), { ...fill(), note: "x" } as Fill], []],
      [
        "a fill with its keys in another order",
        [{ ...fill(), id: "late" }, Object.fromEntries(Object.entries(fill()).reverse()) as Fill],
        [],
      ],
      ["a fill with a number as a string", [fill({ amount: "1" as unknown as number })], []],
      [
        "a trade with an exit reason present but undefined",
        [],
        [{ ...trade({ time: 2, price: 1 }), exitReason: undefined }],
      ],
      ["a trade with its exit written first", [], [{ exitTime: 2, exitPrice: 1, ...trade() }]],
      ["a trade with an exit price and no exit time", [], [{ ...trade(), exitPrice: 1 }]],
    ];
    for (const [, fills, trades] of odd) {
      const run = runWith(fills, trades);
      const { wire, back } = overTheWire(run);
      expect(Array.isArray(wire.fills) || Array.isArray(wire.trades)).toBe(true);
      expect(wireProblem(wire)).toBeUndefined();
      expect(JSON.stringify(back)).toBe(JSON.stringify(run));
      expect(back.fills).toEqual(fills);
      expect(back.trades.map((t) => Object.entries(t))).toEqual(trades.map((t) => Object.entries(t)));
    }
  });
});

describe("a wire run from a child", () => {
  const good = () =>
    toWire(
      runWith(
        [fill(), fill({ id: "qc-b:1", clientOrderId: "qc-b", side: "sell" })],
        [trade({ time: 2, price: 101, reason: "exit" }), trade()],
      ),
    );
  type Tamper = (w: { fills: FillColumns; trades: TradeColumns } & Record<string, unknown>) => void;
  const tampered: readonly [string, Tamper, RegExp][] = [
    ["a step column missing", (w) => delete w.cash, /^cash: not an encoded column/],
    ["a step column as raw numbers", (w) => (w.time = new Float64Array(3)), /^time: ops: not a Uint32Array/],
    ["a step column short", (w) => (w.close = encodeColumn(new Float64Array(1))), /^close: 1 values, not the 3 steps/],
    [
      "a step column's run past its end",
      (w) => {
        // One more value in its first run than the column holds.
        const { ops } = w.equity as EncodedColumn;
        ops[0] = (ops[0] as number) + 2 ** KIND_BITS;
      },
      /^equity: run \d: past the end of the column/,
    ],
    [
      "a step column taking values it lacks",
      (w) => ((w.cash as { values: unknown }).values = new Float64Array(0)),
      /^cash: values: 0, the runs take/,
    ],
    [
      "step columns claiming 2^40 steps in a few bytes",
      (w) => {
        for (const key of ["time", "equity", "cash", "close"]) {
          w[key] = { ...encodeColumn(Float64Array.of(1)), length: 2 ** 40, ops: Uint32Array.of(4, 2 ** 32 - 3) };
        }
      },
      /^time: length: 1099511627776 values, more than the 67108864 expected/,
    ],
    ["fill ids cut past their text", (w) => ((w.fills.id.ends as Uint32Array)[1] = 99), /^fills: id: cuts/],
    ["fill ids cut out of order", (w) => ((w.fills.id.ends as Uint32Array)[0] = 13), /^fills: id: cut out of order/],
    ["a side index out of range", (w) => ((w.fills.side.index as Uint32Array)[0] = 5), /^fills: side: an index/],
    ["a side that is neither", (w) => ((w.fills.side.values as string[])[0] = "hold"), /^fills: side: neither/],
    ["a symbol that is not a string", (w) => ((w.fills.symbol.values as unknown[])[0] = 1), /^fills: symbol: a value/],
    [
      "a fill price column short",
      (w) => ((w.fills as { price: unknown }).price = new Float64Array(1)),
      /^fills: price/,
    ],
    ["an unknown trade shape", (w) => ((w.trades.shape as Uint8Array)[0] = 3), /^trades: shape: unknown/],
    [
      "a closed trade's reason lost",
      (w) => ((w.trades.exitReason.index as Uint32Array)[0] = 0xffffffff),
      /^trades: exitReason: does not match/,
    ],
    [
      "an open trade with a reason",
      (w) => ((w.trades.exitReason.index as Uint32Array)[1] = 0),
      /^trades: exitReason: does not match/,
    ],
    ["trades neither an array nor columns", (w) => (w.trades = "x" as never), /^trades: neither/],
  ];

  it("is taken when whole", () => {
    const wire = structuredClone(good());
    expect(wireProblem(wire)).toBeUndefined();
    expect(wireProblem(wire, 3)).toBeUndefined();
    expect(asChildMessage({ kind: "result", run: wire })).toEqual({ kind: "result", run: wire });
    expect(asChildMessage({ kind: "result", run: wire }, 3)).toEqual({ kind: "result", run: wire });
  });

  it("is refused when its steps are not the count the parent asked for", () => {
    const wire = structuredClone(good());
    expect(wireProblem(wire, 4)).toBe("time: 3 values, not the 4 steps");
    expect(wireProblem(wire, 2)).toBe("time: length: 3 values, more than the 2 expected");
    expect(asChildMessage({ kind: "result", run: wire }, 4)).toBeUndefined();
  });

  it.each(tampered)("is refused with %s", (_, tamper, problem) => {
    const wire = structuredClone(good()) as unknown as Parameters<Tamper>[0];
    tamper(wire);
    expect(wireProblem(wire)).toMatch(problem);
    expect(asChildMessage({ kind: "result", run: wire })).toBeUndefined();
  });
});
