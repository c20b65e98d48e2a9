import { describe, expect, it } from "vitest";
import { createMemoryLedger } from "../../../../core/backtest/memory-ledger.ts";
import { clientOrderId } from "../../../../core/domain/index.ts";
import type { CreateOrderRequest } from "../../../../core/execution/exchange.ts";
import { createExecutor } from "../../../../core/execution/executor/index.ts";
import type { SubmitResult } from "../../../../core/execution/executor/types.ts";
import { createPaperExchange } from "../../../../core/execution/paper/index.ts";
import { createStore } from "../../../../core/store/database.ts";
import { approve, intent, newClock, recordingBus } from "./helpers.ts";

/** An executor on an in-memory ledger and a paper exchange, which both answer at once. */
async function inProcess(balances: Record<string, number> = { USDT: 100_000 }) {
  const clock = newClock();
  const paper = await createPaperExchange({ accountId: "mem", clock, balances });
  paper.setPrice("BTC/USDT", 50_000);
  const ledger = createMemoryLedger();
  const { bus, events } = recordingBus();
  const store = createStore(":memory:");
  const executor = createExecutor({ accountId: "mem", exchange: paper, store, bus, clock, ledger });
  // The market list is loaded by the first order (as after an account's start): that one waits for it.
  await executor.submit(intent(0), approve(0.01));
  await bus.drain();
  events.length = 0;
  return { paper, ledger, bus, events, executor, store };
}

describe("executor on a venue and a ledger that answer at once", () => {
  it("answers with the result itself, the order stored before the venue saw it", async () => {
    const { paper, ledger, bus, events, executor, store } = await inProcess();
    const seen: (string | undefined)[] = [];
    const create = paper.immediate.createOrder;
    paper.immediate.createOrder = (request: CreateOrderRequest) => {
      seen.push((ledger.find(request.clientOrderId) as { status: string } | undefined)?.status);
      return create(request);
    };
    const result = executor.submitNow(intent(1), approve(0.1), { price: 50_000 }) as SubmitResult;
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toMatchObject({ kind: "new", order: { status: "filled", filled: 0.1 } });
    expect(seen).toEqual(["pending"]);
    // The same intent again is the stored order, not a second one.
    await expect(executor.submit(intent(1), approve(0.1))).resolves.toMatchObject({ kind: "duplicate" });
    await bus.drain();
    expect(events.map((e) => e.topic)).toEqual(["order.filled", "order.updated"]);
    await store.close();
  });

  it("waits its turn behind work on the same client order id", async () => {
    const { executor, store } = await inProcess();
    const id = clientOrderId(intent(2).strategyId, intent(2).id);
    // A cancel (an operator's, or a poll) holds the order's lock until it settles.
    const cancelling = executor.cancel(id);
    const queued = executor.submitNow(intent(2), approve(0.1));
    expect(queued).toBeInstanceOf(Promise);
    expect(await cancelling).toBeUndefined();
    await expect(queued).resolves.toMatchObject({ kind: "new", order: { status: "filled" } });
    await store.close();
  });

  it("stores a venue's refusal as a rejected order, at once", async () => {
    const { executor, store } = await inProcess({ USDT: 10 });
    const result = executor.submitNow(intent(3), approve(0.1)) as SubmitResult;
    expect(result).toMatchObject({ kind: "new", order: { status: "rejected" } });
    expect(result.kind === "new" && result.order.reason).toMatch(/^insufficient funds: insufficient USDT/);
    await store.close();
  });
});
