import { isFinalStatus, type Order, type Position } from "../domain/index.ts";
import type { Applied, OrderLedger } from "../execution/executor/ledger.ts";

/**
 * The executor's ledger in memory: the same contract and the same write rules as the SQLite one
 * (insert is idempotent by client order id; a plan is applied whole; a fill id already recorded is
 * neither re-applied nor reported), without a database. A backtest may choose it (`ledger: "memory"`)
 * to measure or skip the cost of durability; the executor, its plans and therefore the fills are the
 * same, which a test checks.
 * @example createExecutor({ ...options, ledger: createMemoryLedger() })
 */
export function createMemoryLedger(): OrderLedger {
  const orders = new Map<string, Order>();
  const fills = new Set<string>();
  const positions = new Map<string, Position>();
  const keyOf = (o: Pick<Order, "accountId" | "strategyId" | "symbol">) =>
    `${o.accountId}\u0000${o.strategyId}\u0000${o.symbol}`;

  return {
    async insert(order) {
      if (orders.has(order.clientOrderId)) return false;
      orders.set(order.clientOrderId, order);
      return true;
    },
    async find(clientOrderId) {
      return orders.get(clientOrderId);
    },
    async listOpen(accountId) {
      return [...orders.values()]
        .filter((o) => o.accountId === accountId && !isFinalStatus(o.status))
        .sort((a, b) => a.createdAt - b.createdAt || (a.clientOrderId < b.clientOrderId ? -1 : 1));
    },
    async apply(clientOrderId, decide): Promise<Applied | undefined> {
      const stored = orders.get(clientOrderId);
      if (!stored) return undefined;
      const plan = decide(stored, positions.get(keyOf(stored)));
      const { order } = plan;
      if (!plan.changed) return { order, changed: false };
      orders.set(clientOrderId, order);
      if (!plan.fill || fills.has(plan.fill.id)) return { order, changed: true };
      fills.add(plan.fill.id);
      if (!plan.position) return { order, changed: true, fill: plan.fill };
      positions.set(keyOf(stored), plan.position);
      return { order, changed: true, fill: plan.fill, position: plan.position };
    },
  };
}
