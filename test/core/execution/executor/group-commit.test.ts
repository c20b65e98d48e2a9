import SQLite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryBus } from "../../../../core/bus/index.ts";
import type { Order } from "../../../../core/domain/index.ts";
import type { CreateOrderRequest } from "../../../../core/execution/exchange.ts";
import { GroupCommit } from "../../../../core/execution/executor/group-commit.ts";
import { createExecutor } from "../../../../core/execution/executor/index.ts";
import { createPaperExchange } from "../../../../core/execution/paper/index.ts";
import type { Store } from "../../../../core/store/database.ts";
import { findPosition, listFills, listOrders } from "../../../../core/store/index.ts";
import { migrateToLatest } from "../../../../core/store/migrate.ts";
import { openTestStore, type TestStore } from "../../../helpers/db.ts";
import { approve, intent, newClock } from "./helpers.ts";

describe("group commit: concurrent submits share commits, each still durable before its create", () => {
  let opened: TestStore;
  let store: Store;
  let observer: SQLite.Database;

  beforeEach(async () => {
    opened = await openTestStore("sqlite", "group-commit");
    store = opened.store;
    await migrateToLatest(store);
    // A second connection sees only COMMITTED rows: what a restarted process would find.
    observer = new SQLite(opened.url, { readonly: true });
  });

  afterEach(async () => {
    observer.close();
    await opened.cleanup();
  });

  it("64 intents at once: every pending row committed before the exchange saw its create; all filled, once", async () => {
    const clock = newClock();
    const paper = await createPaperExchange({ accountId: "g", clock, balances: { USDT: 1e9 } });
    paper.setPrice("BTC/USDT", 50_000);
    const committedAtSend: string[] = [];
    const lookup = observer.prepare("SELECT status FROM orders WHERE client_order_id = ?");
    const sees = (request: CreateOrderRequest) => {
      const row = lookup.get(request.clientOrderId) as { status: string } | undefined;
      committedAtSend.push(row?.status ?? "missing");
    };
    // The paper exchange answers the executor at once (its `immediate` calls): watch both ways in.
    const original = paper.createOrder.bind(paper);
    paper.createOrder = async (request: CreateOrderRequest) => {
      sees(request);
      return original(request);
    };
    const immediate = paper.immediate.createOrder;
    paper.immediate.createOrder = (request: CreateOrderRequest) => {
      sees(request);
      return immediate(request);
    };
    const bus = new MemoryBus();
    const executor = createExecutor({ accountId: "g", exchange: paper, store, bus, clock });
    const walFrames = () =>
      (store.sqlite!.pragma("wal_checkpoint(PASSIVE)", { simple: false }) as { log: number }[])[0]?.log ?? 0;
    store.sqlite!.pragma("wal_autocheckpoint = 0");
    store.sqlite!.pragma("wal_checkpoint(TRUNCATE)");
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => executor.submit(intent(i, { strategyId: `g${i % 8}` }), approve(0.01))),
    );
    const frames = walFrames();
    expect(results.every((r) => r.kind === "new" && r.order.status === "filled")).toBe(true);
    expect(committedAtSend).toHaveLength(64);
    expect(new Set(committedAtSend)).toEqual(new Set(["pending"]));
    expect(await listOrders(store.db, { accountId: "g" })).toHaveLength(64);
    expect(await listFills(store.db, { accountId: "g" })).toHaveLength(64);
    for (let s = 0; s < 8; s++) {
      expect(
        (await findPosition(store.db, { accountId: "g", strategyId: `g${s}`, symbol: "BTC/USDT" }))?.quantity,
      ).toBeCloseTo(0.08, 12);
    }
    // One at a time this costs ~14 WAL pages an intent (two commits); shared commits write far fewer.
    expect(frames).toBeLessThan(64 * 14 * 0.5);
    await bus.close();
  });

  it("a failing write rolls back alone; the others in its batch commit", async () => {
    const sqlite = store.sqlite!;
    sqlite.exec("CREATE TABLE gc_probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    const insert = sqlite.prepare("INSERT INTO gc_probe (id, v) VALUES (?, ?)");
    const group = new GroupCommit(sqlite);
    const outcomes = await Promise.allSettled([
      group.enqueue(() => insert.run(1, "a").changes),
      group.enqueue(() => {
        insert.run(2, "b");
        insert.run(1, "duplicate"); // throws: the savepoint takes row 2 back with it
      }),
      group.enqueue(() => insert.run(3, "c").changes),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(observer.prepare("SELECT id FROM gc_probe ORDER BY id").all()).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it("one order at a time does not wait for company: it commits at once", async () => {
    const clock = newClock();
    const paper = await createPaperExchange({ accountId: "solo", clock, balances: { USDT: 1e9 } });
    paper.setPrice("BTC/USDT", 50_000);
    let immediates = 0;
    const original = global.setImmediate;
    const counting = ((...args: Parameters<typeof setImmediate>) => {
      immediates++;
      return original(...args);
    }) as typeof setImmediate;
    global.setImmediate = counting;
    try {
      const bus = new MemoryBus();
      const executor = createExecutor({ accountId: "solo", exchange: paper, store, bus, clock });
      const result = await executor.submit(intent(1), approve(0.01));
      expect((result as { order: Order }).order.status).toBe("filled");
      expect(immediates).toBe(0);
      await bus.close();
    } finally {
      global.setImmediate = original;
    }
  });
});
