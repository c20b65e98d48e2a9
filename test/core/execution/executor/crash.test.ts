import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../../core/bus/index.ts";
import { systemClock } from "../../../../core/clock.ts";
import { clientOrderId, type OrderIntent } from "../../../../core/domain/index.ts";
import { createExecutor, UNKNOWN_AFTER_RESTART } from "../../../../core/execution/executor/index.ts";
import { createStore, type Store } from "../../../../core/store/database.ts";
import { findOrder, findPosition, listFills } from "../../../../core/store/index.ts";
import { migrateToLatest } from "../../../../core/store/migrate.ts";
import type { FakeOrder } from "../../../fakes/exchange/index.ts";
import { REPO_ROOT, waitFor } from "../../../helpers/process.ts";
import { connect, guardNetwork, localUrls, SECRET, startVenue, type Venue } from "../ccxt/helpers.ts";

guardNetwork();

const CHILD = path.join(REPO_ROOT, "test/fixtures/crash/executor-child.ts");
const SYMBOL = "BTC/USDT";
const PRICE = 50_000;
/** The fake holds a create this long: the window in which "the request was sent" and nothing more. */
const HOLD_MS = 1_000;
/** The restarted executor's lost-reply grace: longer than the hold, so a queued create is waited for. */
const GRACE_MS = 1_500;

interface Child {
  readonly process: ChildProcess;
  output(): string;
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

/**
 * Kill the executor at each step of the order path with SIGKILL (a real child process, its SQLite file
 * and the fake exchange), restart it, and check there is exactly one order on the exchange for the
 * client order id and that the store agrees with it: status, filled amount, fill, position.
 */
describe("crash recovery: SIGKILL at each step of the order path, then restart", () => {
  let venue: Venue;
  let dir: string;
  let seq = 0;

  beforeAll(async () => {
    venue = await startVenue("binance", { balances: { USDT: 1_000_000, BTC: 0 } });
    dir = mkdtempSync(path.join(os.tmpdir(), "qc-crash-"));
  });

  afterAll(async () => {
    expect(venue.fake.problems).toEqual([]);
    await venue.adapter.close();
    await venue.fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh migrated SQLite file and an intent nobody used yet. */
  async function prepare(over: Partial<OrderIntent> = {}) {
    const n = ++seq;
    const file = path.join(dir, `crash-${n}.db`);
    const store = createStore(file);
    await migrateToLatest(store);
    await store.close();
    const intent: OrderIntent = {
      id: `crash:${SYMBOL}:${n}`,
      strategyId: `crash-${n}`,
      symbol: SYMBOL,
      side: "buy",
      reduceOnly: false,
      size: { kind: "base", value: 0.01 },
      type: "market",
      candleTime: 0,
      ...over,
    };
    return { file, intent, id: clientOrderId(intent.strategyId, intent.id) };
  }

  function startChild(file: string, intent: OrderIntent, crashAt: string, track = false): Child {
    const child = spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", CHILD], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        QC_DB: file,
        QC_EXCHANGE: "binance",
        // A long client timeout: the child must still be waiting for the held reply when it dies.
        QC_CCXT_OPTIONS: JSON.stringify({ urls: { api: localUrls("binance", venue.fake.url) }, timeout: 10_000 }),
        QC_API_KEY: venue.fake.apiKey,
        QC_SECRET: SECRET,
        QC_ACCOUNT: "live",
        QC_INTENT: JSON.stringify(intent),
        QC_AMOUNT: "0.01",
        QC_PRICE: String(PRICE),
        QC_CRASH_AT: crashAt,
        QC_TRACK: track ? "1" : "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.once("exit", (code, signal) => resolve(signal ?? code)),
    );
    return { process: child, output: () => text, exited };
  }

  async function killAt(child: Child, ready: () => boolean, what: string): Promise<void> {
    await waitFor(what, async () => (ready() ? true : undefined), 20_000).catch((error: Error) => {
      child.process.kill("SIGKILL");
      throw new Error(`${error.message}; child output:\n${child.output()}`);
    });
    child.process.kill("SIGKILL");
    expect(await child.exited).toBe("SIGKILL");
    expect(child.output()).not.toMatch(/DONE/);
  }

  const marker = (child: Child, point: string) => () => child.output().includes(`CRASH_POINT ${point}`);
  const posts = (id: string) =>
    venue.fake.requests.filter((r) => r.method === "POST" && r.params.newClientOrderId === id);
  const onExchange = (id: string): FakeOrder[] =>
    [...venue.fake.book.orders.values()].filter((o) => o.clientOrderId === id);

  /** The restarted executor: same file, same exchange; reconcile runs first, as on every start. */
  async function restart(file: string, resendPendingWithinMs = 0) {
    const store = createStore(file);
    const executor = createExecutor({
      accountId: "live",
      exchange: connect(venue.fake, venue.fake.apiKey),
      store,
      bus: new MemoryBus(),
      clock: systemClock,
      lostReplyGraceMs: GRACE_MS,
      resendPendingWithinMs,
      retry: { baseDelayMs: 50 },
    });
    const report = await executor.start();
    return { store, executor, report };
  }

  /** Exactly one order on the exchange, and the store says what the exchange says. */
  async function expectAgreement(store: Store, id: string, strategyId: string): Promise<void> {
    expect(posts(id)).toHaveLength(1);
    const [ex] = onExchange(id);
    expect(onExchange(id)).toHaveLength(1);
    const order = await findOrder(store.db, id);
    expect(order?.status).toBe(ex?.status);
    expect(order?.filled).toBeCloseTo(ex?.filled ?? Number.NaN, 12);
    expect(order?.exchangeOrderId).toBe(ex?.id);
    const fills = await listFills(store.db, { clientOrderId: id });
    expect(fills.reduce((sum, f) => sum + f.amount, 0)).toBeCloseTo(ex?.filled ?? Number.NaN, 12);
    expect(fills.reduce((sum, f) => sum + f.fee, 0)).toBeCloseTo(ex?.fee ?? Number.NaN, 12);
    // Binance takes a buy's fee in BTC: the position holds what the wallet received.
    const position = await findPosition(store.db, { accountId: "live", strategyId, symbol: SYMBOL });
    expect(position?.quantity).toBeCloseTo((ex?.filled ?? 0) - (ex?.fee ?? 0), 12);
  }

  it("killed after the store write, before the exchange saw anything: closed on restart; nothing on the exchange", async () => {
    const { file, intent, id } = await prepare();
    const child = startChild(file, intent, "afterStored");
    await killAt(child, marker(child, "afterStored"), "the afterStored crash point");
    expect(posts(id)).toHaveLength(0);
    const { store, executor, report } = await restart(file);
    try {
      expect(report.closed.map((o) => o.clientOrderId)).toEqual([id]);
      expect(await findOrder(store.db, id)).toMatchObject({ status: "rejected", reason: UNKNOWN_AFTER_RESTART });
      expect(onExchange(id)).toHaveLength(0);
      // The intent replayed after the restart is still the same order: nothing goes out.
      const again = await executor.submit(intent, { decision: "approve", amount: 0.01, rules: [], warnings: [] });
      expect(again.kind).toBe("duplicate");
      expect(posts(id)).toHaveLength(0);
    } finally {
      await executor.stop();
      await store.close();
    }
  });

  it("killed after the store write, restarted within the resend window: sent once after proving absence", async () => {
    const { file, intent, id } = await prepare();
    const child = startChild(file, intent, "afterStored");
    await killAt(child, marker(child, "afterStored"), "the afterStored crash point");
    const { store, executor, report } = await restart(file, 60_000);
    try {
      expect(report.resent.map((o) => o.clientOrderId)).toEqual([id]);
      await expectAgreement(store, id, intent.strategyId);
      expect((await findOrder(store.db, id))?.status).toBe("filled");
    } finally {
      await executor.stop();
      await store.close();
    }
  });

  it("killed after the request was sent, while the exchange held the reply: found on restart, not resent", async () => {
    const { file, intent, id } = await prepare();
    venue.fake.failNext("POST /api/v3/order", { timeoutMs: HOLD_MS });
    const child = startChild(file, intent, "none");
    await killAt(child, () => posts(id).length > 0, "the create to reach the fake");
    // Restarted at once: the held create has not been acted on yet, so the first lookup finds nothing;
    // the grace period makes the executor wait for it instead of closing (or resending) the order.
    expect(onExchange(id)).toHaveLength(0);
    const { store, executor, report } = await restart(file, 60_000);
    try {
      expect(report.updated.map((o) => o.clientOrderId)).toEqual([id]);
      expect(report.resent).toEqual([]);
      await expectAgreement(store, id, intent.strategyId);
      expect((await findOrder(store.db, id))?.status).toBe("filled");
    } finally {
      await executor.stop();
      await store.close();
    }
  });

  it("killed after the exchange accepted (and filled) the order, before the store knew: applied on restart", async () => {
    const { file, intent, id } = await prepare();
    const child = startChild(file, intent, "afterAccepted");
    await killAt(child, marker(child, "afterAccepted"), "the afterAccepted crash point");
    const { store, executor, report } = await restart(file);
    try {
      expect(report.updated.map((o) => o.clientOrderId)).toEqual([id]);
      await expectAgreement(store, id, intent.strategyId);
      expect((await findOrder(store.db, id))?.status).toBe("filled");
    } finally {
      await executor.stop();
      await store.close();
    }
  });

  it("killed before the fill of a market order was recorded: the fill is recorded once on restart", async () => {
    const { file, intent, id } = await prepare();
    const child = startChild(file, intent, "beforeFillRecorded");
    await killAt(child, marker(child, "beforeFillRecorded"), "the beforeFillRecorded crash point");
    const { store, executor } = await restart(file);
    try {
      await expectAgreement(store, id, intent.strategyId);
      // A second reconciliation finds nothing left to do.
      const again = await executor.reconcile();
      expect(again.checked).toBe(0);
      expect(await listFills(store.db, { clientOrderId: id })).toHaveLength(1);
    } finally {
      await executor.stop();
      await store.close();
    }
  });

  it("killed before the fill of a resting limit order was recorded (it filled while we polled): recorded on restart", async () => {
    const { file, intent, id } = await prepare({ type: "limit", limitPrice: 49_000 });
    const child = startChild(file, intent, "beforeFillRecorded", true);
    await waitFor("the limit order to rest", async () => (child.output().includes("SUBMITTED") ? true : undefined));
    expect(onExchange(id)[0]?.status).toBe("open");
    venue.fake.fillOrder(id);
    await killAt(child, marker(child, "beforeFillRecorded"), "the beforeFillRecorded crash point");
    const { store, executor, report } = await restart(file);
    try {
      expect(report.updated.map((o) => o.clientOrderId)).toEqual([id]);
      await expectAgreement(store, id, intent.strategyId);
      expect(await findOrder(store.db, id)).toMatchObject({ status: "filled", averagePrice: 49_000 });
    } finally {
      await executor.stop();
      await store.close();
    }
  });
});
