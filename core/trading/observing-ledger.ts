import type { Applied, OrderLedger } from "../execution/executor/ledger.ts";

/**
 * The executor's ledger with a listener on what it commits: every new fill and position change, in
 * commit order, synchronously after the write. The trading account keeps its in-memory positions and
 * stops from this rather than from bus events, which arrive a microtask later and, on a remote bus,
 * out of reach: the risk check of the next intent must see the fill of the last one.
 * @example const ledger = observingLedger(ledgerFor(store), (applied) => positions.apply(applied));
 */
export function observingLedger(inner: OrderLedger, observer: (applied: Applied) => void): OrderLedger {
  const seen = (applied: Applied | undefined): Applied | undefined => {
    if (applied?.fill) observer(applied);
    return applied;
  };
  return {
    insert: (order, options) => inner.insert(order, options),
    find: (clientOrderId) => inner.find(clientOrderId),
    listOpen: (accountId) => inner.listOpen(accountId),
    apply(clientOrderId, decide, options) {
      const applied = inner.apply(clientOrderId, decide, options);
      return applied instanceof Promise ? applied.then(seen) : seen(applied);
    },
  };
}
