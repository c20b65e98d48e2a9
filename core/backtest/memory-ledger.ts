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
  // By account, strategy, then symbol: no key string to build and hash for every fill.
  const positions = new Map<string, Map<string, Map<string, Position>>>();
  const bySymbol = (o: Pick<Order, "accountId" | "strategyId">): Map<string, Position> => {
    let strategies = positions.get(o.accountId);
    if (!strategies) {
      strategies = new Map();
      positions.set(o.accountId, strategies);
    }
    let symbols = strategies.get(o.strategyId);
    if (!symbols) {
      symbols = new Map();
      strategies.set(o.strategyId, symbols);
    }
    return symbols;
  };

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
      const held = bySymbol(stored);
      const plan = decide(stored, held.get(stored.symbol));
      const { order } = plan;
      if (!plan.changed) return { order, changed: false };
      orders.set(clientOrderId, order);
      if (!plan.fill || fills.has(plan.fill.id)) return { order, changed: true };
      fills.add(plan.fill.id);
      if (!plan.position) return { order, changed: true, fill: plan.fill };
      held.set(stored.symbol, plan.position);
      return { order, changed: true, fill: plan.fill, position: plan.position };
    },
  };
}
