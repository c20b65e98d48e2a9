import { isFinalStatus, type Order, type Position } from "../domain/index.ts";
import type { Applied, OrderLedger } from "../execution/executor/ledger.ts";

/** A stored order, and the ids of the fills recorded for it that are its own (`<clientOrderId>:…`). */
interface Entry {
  order: Order;
  fills: string[] | undefined;
}

/**
 * The executor's ledger in memory: the same contract and the same write rules as the SQLite one
 * (insert is idempotent by client order id; a plan is applied whole; a fill id already recorded is
 * neither re-applied nor reported), without a database. A backtest may choose it (`ledger: "memory"`)
 * to measure or skip the cost of durability; the executor, its plans and therefore the fills are the
 * same, which a test checks. Every answer is the value itself: nothing here waits.
 * @example createExecutor({ ...options, ledger: createMemoryLedger() })
 */
export function createMemoryLedger(): OrderLedger {
  const orders = new Map<string, Entry>();
  /** Fill ids that do not start with their own order's id (none from the executor's plans). */
  const foreign = new Set<string>();
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

  /**
   * True when fill `id` was recorded before, for any order: the executor's ids are `<clientOrderId>:…`,
   * so they are kept with their order (a backtest's 40 000 of them in one hash set cost more than the
   * rest of the fill); any other id is kept aside. An id is looked for under every order its ":"s
   * could name, so none recorded is ever missed.
   */
  const recorded = (id: string, entry: Entry): boolean => {
    if (foreign.size > 0 && foreign.has(id)) return true;
    const own = entry.order.clientOrderId;
    for (let k = id.indexOf(":"); k >= 0; k = id.indexOf(":", k + 1)) {
      const owner = k === own.length && id.startsWith(own) ? entry : orders.get(id.slice(0, k));
      if (owner?.fills?.includes(id)) return true;
    }
    return false;
  };
  const record = (id: string, entry: Entry): void => {
    const own = entry.order.clientOrderId;
    if (!(id.length > own.length && id.charCodeAt(own.length) === 58 && id.startsWith(own))) foreign.add(id);
    else if (entry.fills) entry.fills.push(id);
    else entry.fills = [id];
  };

  return {
    insert(order) {
      if (orders.get(order.clientOrderId) !== undefined) return false;
      orders.set(order.clientOrderId, { order, fills: undefined });
      return true;
    },
    find(clientOrderId) {
      return orders.get(clientOrderId)?.order;
    },
    async listOpen(accountId) {
      const open: Order[] = [];
      for (const { order: o } of orders.values())
        if (o.accountId === accountId && !isFinalStatus(o.status)) open.push(o);
      return open.sort((a, b) => a.createdAt - b.createdAt || (a.clientOrderId < b.clientOrderId ? -1 : 1));
    },
    apply(clientOrderId, decide): Applied | undefined {
      const entry = orders.get(clientOrderId);
      if (!entry) return undefined;
      const stored = entry.order;
      const held = bySymbol(stored);
      const plan = decide(stored, held.get(stored.symbol));
      const { order } = plan;
      if (!plan.changed) return { order, changed: false };
      entry.order = order;
      const { fill } = plan;
      if (!fill || recorded(fill.id, entry)) return { order, changed: true };
      record(fill.id, entry);
      if (!plan.position) return { order, changed: true, fill };
      held.set(stored.symbol, plan.position);
      return { order, changed: true, fill, position: plan.position };
    },
  };
}
