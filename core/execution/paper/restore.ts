import type { Balances, Fill, Order } from "../../domain/index.ts";
import { splitSymbol } from "../../portfolio/currencies.ts";
import type { Store } from "../../store/database.ts";
import { loadBalances } from "../../store/repositories/balances.ts";
import { listFills } from "../../store/repositories/fills.ts";
import { listOrders } from "../../store/repositories/orders.ts";
import type { PaperOrder } from "./book.ts";

/** What a paper account resumes with after a restart. */
export interface PaperState {
  readonly balances: Record<string, number>;
  /** Orders the account had resting on the paper exchange, with what they had filled. */
  readonly openOrders: readonly PaperOrder[];
  /** The balances the store held, when they differ from what the fills say (a crash mid-fill). */
  readonly mismatch?: { readonly stored: Balances; readonly derived: Readonly<Record<string, number>> };
}

/**
 * A paper account's state from the store. Balances are the starting balances plus every RECORDED fill,
 * not the stored balance rows: a crash between the paper exchange's fill and the executor's record of
 * it would otherwise leave cash moved for a trade nobody knows. The balance rows are a mirror for chat
 * and web (and are checked against the fills here). Resting orders are the account's stored orders the
 * paper exchange had accepted (open, partially filled); one it accepted that the executor never
 * recorded is lost with the process, and reconciliation closes it.
 * @example const state = await restorePaperState(store, "paper", { USDT: 10_000 })
 */
export async function restorePaperState(
  store: Store,
  accountId: string,
  starting: Readonly<Record<string, number>>,
): Promise<PaperState> {
  const [fills, orders, stored] = await Promise.all([
    listFills(store.db, { accountId, order: "asc" }),
    listOrders(store.db, { accountId, status: ["open", "partially_filled"], order: "asc" }),
    loadBalances(store.db, accountId),
  ]);
  const balances = balancesFromFills(starting, fills);
  const openOrders = orders.filter((o) => o.exchangeOrderId?.startsWith("P-")).map(toPaperOrder);
  const derived = { ...balances };
  // The mirror also counts what resting orders hold; compare totals.
  const differs = Object.keys({ ...stored, ...derived }).some((c) => {
    const total = (stored[c]?.free ?? 0) + (stored[c]?.used ?? 0);
    return Math.abs(total - (derived[c] ?? 0)) > 1e-8 * Math.max(1, Math.abs(total));
  });
  const fresh = Object.keys(stored).length === 0;
  return { balances, openOrders, ...(differs && !fresh && { mismatch: { stored, derived } }) };
}

/**
 * Starting balances plus the effect of every fill: a buy adds base and costs quote, a sell the other
 * way round, and each fee comes out of its own currency.
 * @example balancesFromFills({ USDT: 1000 }, [{ side: "buy", symbol: "BTC/USDT", amount: 0.01, price: 50_000, fee: 0.5, feeCurrency: "USDT", ... }])
 *   // { USDT: 499.5, BTC: 0.01 }
 */
export function balancesFromFills(
  starting: Readonly<Record<string, number>>,
  fills: readonly Fill[],
): Record<string, number> {
  const out: Record<string, number> = { ...starting };
  const add = (currency: string, amount: number) => {
    out[currency] = (out[currency] ?? 0) + amount;
  };
  for (const fill of fills) {
    const { base, quote } = splitSymbol(fill.symbol);
    const sign = fill.side === "buy" ? 1 : -1;
    add(base, sign * fill.amount);
    add(quote, -sign * fill.amount * fill.price);
    if (fill.fee !== 0) add(fill.feeCurrency || quote, -fill.fee);
  }
  for (const [currency, value] of Object.entries(out)) if (Math.abs(value) < 1e-12) out[currency] = 0;
  return out;
}

function toPaperOrder(order: Order): PaperOrder {
  return {
    exchangeOrderId: order.exchangeOrderId as string,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    amount: order.amount,
    ...(order.price !== undefined && { price: order.price }),
    status: order.status,
    filled: order.filled,
    cost: order.filled * (order.averagePrice ?? order.price ?? 0),
    fee: order.fee,
    feeCurrency: splitSymbol(order.symbol).quote,
    reserved: 0,
    time: order.createdAt,
  };
}
