import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MemoryBus } from "../core/bus/index.ts";
import { systemClock } from "../core/clock.ts";
import { clientOrderId, DEFAULT_RISK_LIMITS, type OrderIntent } from "../core/domain/index.ts";
import { createExecutor, createKyselyLedger } from "../core/execution/executor/index.ts";
import { createPaperExchange } from "../core/execution/paper/index.ts";
import { evaluateIntent, type RiskSnapshot } from "../core/risk/index.ts";
import { createStore } from "../core/store/database.ts";
import { migrateToLatest } from "../core/store/migrate.ts";
import type { Benchmark, BenchResult } from "./types.ts";

// The order path end to end: intent -> risk (evaluateIntent) -> order committed to SQLite (WAL)
// BEFORE the paper exchange sees it -> paper fill -> order, fill and position in one transaction ->
// `order.filled` delivered to a subscriber; latency is measured to that delivery. Two regimes:
// one intent at a time (each order its own two commits), and 8 in flight, as when a candle closes
// for many strategies at once (orders in flight share commits: group commit).
// Reference, in the same run: raw better-sqlite3 prepared statements writing the same rows with the
// same commits, i.e. the cost of the durability rule at the bottom, with nothing on top. Both open
// the store through createStore: the same pragmas, and the same background checkpointer taking WAL
// checkpoints (and their fsyncs) off the thread that commits.
const SYMBOL = "BTC/USDT";
const PRICE = 50_000;
const AMOUNT = 0.01;
const IN_FLIGHT = 8;

export interface Figures {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
}

const bench: Benchmark = async ({ quick }) => {
  const n = quick ? 5_000 : 50_000;
  const warmup = quick ? 1_000 : 5_000;
  const dir = mkdtempSync(path.join(os.tmpdir(), "qc-bench-exec-"));
  const file = (name: string) => path.join(dir, `${name}.db`);
  try {
    const alone = await pipeline(file("alone"), { n, warmup, inFlight: 1 });
    const aloneRaw = await rawInsertRun(file("alone-raw"), { n, warmup, batch: 1 });
    const busy = await pipeline(file("busy"), { n, warmup, inFlight: IN_FLIGHT });
    const busyRaw = await rawInsertRun(file("busy-raw"), { n, warmup, batch: IN_FLIGHT });
    const kysely = await pipeline(file("kysely"), { n: Math.min(n, 10_000), warmup, inFlight: 1, kysely: true });
    const ref = (what: string) => `raw better-sqlite3, same rows and commits (${what})`;
    const rows = (label: string, ours: Figures, raw: Figures, refLabel: string): BenchResult[] => [
      {
        name: `${label}: throughput`,
        value: ours.rate,
        unit: "intents/s",
        reference: ref(refLabel),
        referenceValue: raw.rate,
        ratio: ours.rate / raw.rate,
        target: ">= 10,000 intents/s",
      },
      {
        name: `${label}: p50 latency`,
        value: ours.p50,
        unit: "ms",
        reference: ref(refLabel),
        referenceValue: raw.p50,
        ratio: raw.p50 / ours.p50,
      },
      {
        name: `${label}: p99 latency`,
        value: ours.p99,
        unit: "ms",
        reference: ref(refLabel),
        referenceValue: raw.p99,
        ratio: raw.p99 / ours.p99,
        target: "< 2 ms",
      },
    ];
    return [
      ...rows(
        `intent -> risk -> paper fill -> SQLite -> event, ${IN_FLIGHT} in flight`,
        busy,
        busyRaw,
        `batches of ${IN_FLIGHT}`,
      ),
      ...rows("intent -> risk -> paper fill -> SQLite -> event, 1 at a time", alone, aloneRaw, "one order at a time"),
      {
        name: "1 at a time with the Kysely ledger (PostgreSQL mode's code path)",
        value: kysely.rate,
        unit: "intents/s",
        reference: "the same with prepared statements",
        referenceValue: alone.rate,
        ratio: kysely.rate / alone.rate,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;

async function pipeline(
  file: string,
  run: { n: number; warmup: number; inFlight: number; kysely?: boolean },
): Promise<Figures> {
  const store = createStore(file);
  await migrateToLatest(store);
  const bus = new MemoryBus();
  const paper = await createPaperExchange({
    accountId: "bench",
    clock: systemClock,
    store,
    balances: { USDT: 1e12 },
    fees: { maker: 0.1, taker: 0.1 },
    slippageBps: 2,
    markets: { [SYMBOL]: { amountStep: 0.00001, priceTick: 0.01, minNotional: 5 } },
  });
  paper.setPrice(SYMBOL, PRICE);
  const executor = createExecutor({
    accountId: "bench",
    exchange: paper,
    store,
    bus,
    clock: systemClock,
    ...(run.kysely && { ledger: createKyselyLedger(store.db) }),
  });
  // Delivery of an order's fill event to a subscriber ends that intent's clock.
  const waiting = new Map<string, () => void>();
  bus.subscribe("order.filled", ({ fill }) => {
    waiting.get(fill.clientOrderId)?.();
    waiting.delete(fill.clientOrderId);
  });
  const base: RiskSnapshot = {
    now: 0,
    equity: 1e9,
    dayStartEquity: 1e9,
    peakEquity: 1e9,
    cash: 1e12,
    positions: [],
    price: PRICE,
    market: { amountStep: 0.00001, priceTick: 0.01, minNotional: 5 },
    recentStops: [],
    tradingState: "ACTIVE",
    limits: DEFAULT_RISK_LIMITS,
    allocation: 1e9,
  };

  /** One strategy's loop: entries and exits alternate, so its position (and the rules' view) stays bounded. */
  const strategy = async (lane: number, ids: readonly number[], latencies: Float64Array | undefined) => {
    const strategyId = `bench-${lane}`;
    let held = 0;
    for (const i of ids) {
      const started = performance.now();
      const exit = held > 0;
      const intent: OrderIntent = {
        id: `${strategyId}:${i}`,
        strategyId,
        symbol: SYMBOL,
        side: exit ? "sell" : "buy",
        reduceOnly: exit,
        size: { kind: "base", value: exit ? held : AMOUNT },
        type: "market",
        candleTime: 0,
      };
      const positions = exit
        ? [{ symbol: SYMBOL, strategyId, quantity: held, entryPrice: PRICE, lastPrice: PRICE }]
        : [];
      const verdict = evaluateIntent(intent, { ...base, now: systemClock.now(), positions });
      if (verdict.decision === "reject") throw new Error(`bench intent rejected: ${verdict.rules.at(-1)?.reason}`);
      const delivered = new Promise<void>((resolve) => waiting.set(clientOrderId(strategyId, intent.id), resolve));
      const result = await executor.submit(intent, verdict, { price: PRICE });
      if (result.kind !== "new" || result.order.status !== "filled")
        throw new Error(`bench order: ${JSON.stringify(result)}`);
      await delivered;
      held = exit ? 0 : result.order.filled;
      if (latencies && i >= 0) latencies[i] = performance.now() - started;
    }
  };
  const lanes = (count: number, first: number, latencies?: Float64Array) =>
    Promise.all(
      Array.from({ length: run.inFlight }, (_, lane) =>
        strategy(
          lane,
          Array.from({ length: Math.ceil((count - lane) / run.inFlight) }, (_, k) => first + lane + k * run.inFlight),
          latencies,
        ),
      ),
    );

  try {
    await lanes(run.warmup, -run.warmup);
    const latencies = new Float64Array(run.n);
    const started = performance.now();
    await lanes(run.n, 0, latencies);
    return figures(latencies, performance.now() - started);
  } finally {
    await paper.close();
    await bus.close();
    await store.close();
  }
}

/**
 * The reference: the same rows written by bare prepared statements with the same commits. Per batch
 * of `batch` intents: one transaction inserting their orders (durable before "sending"), then one
 * updating the orders and writing the fills and positions; every intent of a batch takes the batch's
 * time, as ours do when they share commits. The same rows down to the keys: client order ids are the
 * executor's hashes, which land all over the primary key's b-tree, where counting ids would only ever
 * append to its last page. The store is opened the same way, so pragmas and checkpoints are ours too.
 */
async function rawInsertRun(file: string, run: { n: number; warmup: number; batch: number }): Promise<Figures> {
  const store = createStore(file);
  await migrateToLatest(store);
  const db = store.sqlite as NonNullable<typeof store.sqlite>;
  const insertOrder = db.prepare(`INSERT INTO orders (client_order_id, account_id, strategy_id, intent_id, symbol,
      side, type, amount, price, status, filled, average_price, fee, exchange_order_id, reason, created_at, updated_at)
    VALUES (?, 'bench', ?, ?, ?, ?, 'market', ?, NULL, 'pending', 0, NULL, 0, NULL, NULL, ?, ?)`);
  const updateOrder = db.prepare(`UPDATE orders SET status = 'filled', filled = ?, average_price = ?, fee = ?,
      exchange_order_id = ?, updated_at = ? WHERE client_order_id = ?`);
  const insertFill = db.prepare(`INSERT INTO fills (id, client_order_id, account_id, strategy_id, symbol, side,
      amount, price, fee, fee_currency, ts) VALUES (?, ?, 'bench', ?, ?, ?, ?, ?, ?, 'USDT', ?)`);
  const upsertPosition = db.prepare(`INSERT INTO positions (account_id, strategy_id, symbol, quantity, entry_price,
      realized_pnl, fees, opened_at, updated_at) VALUES ('bench', ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_id, strategy_id, symbol) DO UPDATE SET quantity = excluded.quantity,
      entry_price = excluded.entry_price, realized_pnl = excluded.realized_pnl, fees = excluded.fees,
      updated_at = excluded.updated_at`);
  type Row = { id: string; intent: string; strategy: string; side: string; now: number };
  const ordered = db.transaction((rows: Row[]) => {
    for (const r of rows) insertOrder.run(r.id, r.strategy, r.intent, SYMBOL, r.side, AMOUNT, r.now, r.now);
  });
  const filled = db.transaction((rows: Row[]) => {
    for (const r of rows) {
      updateOrder.run(AMOUNT, PRICE, 0.5, `P-${r.id}`, r.now, r.id);
      insertFill.run(`${r.id}:${AMOUNT}`, r.id, r.strategy, SYMBOL, r.side, AMOUNT, PRICE, 0.5, r.now);
      upsertPosition.run(r.strategy, SYMBOL, r.side === "buy" ? AMOUNT : 0, PRICE, -0.5, 0.5, r.now, r.now);
    }
  });
  const batchOf = (first: number): Row[] =>
    Array.from({ length: run.batch }, (_, k) => {
      const i = first + k;
      const strategy = `bench-${k}`;
      const intent = `${strategy}:${i}`;
      return {
        id: clientOrderId(strategy, intent),
        intent,
        strategy,
        side: Math.floor(i / run.batch) % 2 ? "sell" : "buy",
        now: Date.now(),
      };
    });
  try {
    for (let i = -run.warmup; i < 0; i += run.batch) {
      const rows = batchOf(i);
      ordered(rows);
      filled(rows);
    }
    const latencies = new Float64Array(run.n);
    const started = performance.now();
    for (let i = 0; i < run.n; i += run.batch) {
      const t0 = performance.now();
      const rows = batchOf(i);
      ordered(rows);
      filled(rows);
      latencies.fill(performance.now() - t0, i, Math.min(run.n, i + run.batch));
    }
    return figures(latencies, performance.now() - started);
  } finally {
    await store.close();
  }
}

/** Throughput and latency percentiles of one run. */
export function figures(latencies: Float64Array, elapsedMs: number): Figures {
  const sorted = latencies.slice().sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { rate: (latencies.length / elapsedMs) * 1000, p50: at(0.5), p99: at(0.99) };
}
