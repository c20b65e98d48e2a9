import type { BusEvents, BusTopic } from "../../../../core/bus/index.ts";
import { MemoryBus } from "../../../../core/bus/index.ts";
import { SimulatedClock } from "../../../../core/clock.ts";
import type { OrderIntent, RiskVerdict } from "../../../../core/domain/index.ts";
import type { RetryRuntime } from "../../../../core/execution/executor/index.ts";

export const T0 = Date.UTC(2024, 0, 15, 12, 0, 0);

/** A market buy of `amount` BTC by strategy "s1"; every call with the same `n` is the same intent. */
export function intent(n: number, over: Partial<OrderIntent> = {}): OrderIntent {
  return {
    id: `s1:BTC/USDT:${n}`,
    strategyId: "s1",
    symbol: "BTC/USDT",
    side: "buy",
    reduceOnly: false,
    size: { kind: "base", value: 0.1 },
    type: "market",
    candleTime: T0,
    ...over,
  };
}

/** An approving verdict for `amount` base units. */
export function approve(amount: number): RiskVerdict {
  return { decision: "approve", amount, rules: [{ rule: "size", decision: "approve", reason: "test" }], warnings: [] };
}

export function rejectVerdict(reason: string): RiskVerdict {
  return { decision: "reject", amount: 0, rules: [{ rule: "daily-loss", decision: "reject", reason }], warnings: [] };
}

/**
 * Backoff waits that take no real time but move the simulated clock, so grace periods and timeouts
 * still elapse; every wait is recorded.
 */
export function instantRuntime(clock: SimulatedClock): RetryRuntime & { readonly waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
      if (ms > 0) clock.set(clock.now() + ms);
    },
  };
}

/** A bus that remembers every event of the order path, in publish order. */
export function recordingBus(): { bus: MemoryBus; events: { topic: BusTopic; payload: unknown }[] } {
  const bus = new MemoryBus();
  const events: { topic: BusTopic; payload: unknown }[] = [];
  for (const topic of ["order.updated", "order.filled"] as const) {
    bus.subscribe(topic, (payload: BusEvents[typeof topic]) => {
      events.push({ topic, payload });
    });
  }
  return { bus, events };
}

export function newClock(): SimulatedClock {
  return new SimulatedClock(T0);
}
