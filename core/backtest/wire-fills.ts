import type { Fill, Side } from "../domain/index.ts";
import {
  type Dictionary,
  DictionaryWriter,
  dictionaryProblem,
  type Joined,
  JoinedWriter,
  joinedProblem,
  numbersProblem,
} from "./wire-columns.ts";

/** A run's fills as columns: entry `i` of each is fill `i`'s field. */
export interface FillColumns {
  readonly id: Joined;
  readonly clientOrderId: Joined;
  readonly accountId: Dictionary;
  readonly strategyId: Dictionary;
  readonly symbol: Dictionary;
  readonly side: Dictionary;
  readonly amount: Float64Array;
  readonly price: Float64Array;
  readonly fee: Float64Array;
  readonly feeCurrency: Dictionary;
  readonly time: Float64Array;
}

/** Fill's keys in the order the executor writes them (core/execution/executor/plan.ts). */
const KEYS = [
  "id",
  "clientOrderId",
  "accountId",
  "strategyId",
  "symbol",
  "side",
  "amount",
  "price",
  "fee",
  "feeCurrency",
  "time",
] as const;

/**
 * The fills as columns, or undefined when one of them is not a plain Fill as the engine writes it (other
 * keys, another key order, a value of another type): fillsOf could not give that one back as it was.
 * @example fillsOf(fillColumns(run.fills) as FillColumns) // equal to run.fills, key for key
 */
export function fillColumns(fills: readonly Fill[]): FillColumns | undefined {
  const n = fills.length;
  const id = new JoinedWriter(n);
  const clientOrderId = new JoinedWriter(n);
  const accountId = new DictionaryWriter(n);
  const strategyId = new DictionaryWriter(n);
  const symbol = new DictionaryWriter(n);
  const side = new DictionaryWriter(n);
  const amount = new Float64Array(n);
  const price = new Float64Array(n);
  const fee = new Float64Array(n);
  const feeCurrency = new DictionaryWriter(n);
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = fills[i];
    if (!isEngineFill(f)) return undefined;
    id.add(i, f.id);
    clientOrderId.add(i, f.clientOrderId);
    accountId.add(i, f.accountId);
    strategyId.add(i, f.strategyId);
    symbol.add(i, f.symbol);
    side.add(i, f.side);
    amount[i] = f.amount;
    price[i] = f.price;
    fee[i] = f.fee;
    feeCurrency.add(i, f.feeCurrency);
    time[i] = f.time;
  }
  return {
    id: id.done(),
    clientOrderId: clientOrderId.done(),
    accountId: accountId.done(),
    strategyId: strategyId.done(),
    symbol: symbol.done(),
    side: side.done(),
    amount,
    price,
    fee,
    feeCurrency: feeCurrency.done(),
    time,
  };
}

/**
 * The fills back from columns (checked with fillColumnsProblem), each written in Fill's key order.
 * @example fillsOf(columns)[0] // { id: "qc-…:0.017", clientOrderId: "qc-…", accountId: "backtest", ... }
 */
export function fillsOf(c: FillColumns): Fill[] {
  const n = c.time.length;
  const fills: Fill[] = [];
  const { text: ids, ends: idEnds } = c.id;
  const { text: orders, ends: orderEnds } = c.clientOrderId;
  let idAt = 0;
  let orderAt = 0;
  for (let i = 0; i < n; i++) {
    const idEnd = idEnds[i] as number;
    const orderEnd = orderEnds[i] as number;
    fills.push({
      id: ids.slice(idAt, idEnd),
      clientOrderId: orders.slice(orderAt, orderEnd),
      accountId: c.accountId.values[c.accountId.index[i] as number] as string,
      strategyId: c.strategyId.values[c.strategyId.index[i] as number] as string,
      symbol: c.symbol.values[c.symbol.index[i] as number] as string,
      side: c.side.values[c.side.index[i] as number] as Side,
      amount: c.amount[i] as number,
      price: c.price[i] as number,
      fee: c.fee[i] as number,
      feeCurrency: c.feeCurrency.values[c.feeCurrency.index[i] as number] as string,
      time: c.time[i] as number,
    });
    idAt = idEnd;
    orderAt = orderEnd;
  }
  return fills;
}

/**
 * What is wrong with fill columns from a child, or undefined: fillsOf reads them whole without a throw.
 * @example fillColumnsProblem(fillColumns([])) // undefined
 */
export function fillColumnsProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "neither an array nor columns";
  const c = value as Record<string, unknown>;
  const n = (c.time as Float64Array | undefined)?.length;
  if (typeof n !== "number") return "time: missing";
  for (const key of KEYS) {
    const column = c[key];
    const problem =
      key === "id" || key === "clientOrderId"
        ? joinedProblem(column, n)
        : key === "amount" || key === "price" || key === "fee" || key === "time"
          ? numbersProblem(column, n)
          : dictionaryProblem(column, n, false);
    if (problem) return `${key}: ${problem}`;
  }
  if ((c.side as Dictionary).values.some((s) => s !== "buy" && s !== "sell")) return "side: neither buy nor sell";
  return undefined;
}

/** A plain object with exactly Fill's keys, in the executor's order, each of its type. */
function isEngineFill(f: Fill | undefined): f is Fill {
  if (typeof f !== "object" || f === null) return false;
  let k = 0;
  // for-in: own and inherited enumerable keys, in order, as JSON.stringify would see them (plus inherited).
  for (const key in f) if (key !== KEYS[k++]) return false;
  return (
    k === KEYS.length &&
    typeof f.id === "string" &&
    typeof f.clientOrderId === "string" &&
    typeof f.accountId === "string" &&
    typeof f.strategyId === "string" &&
    typeof f.symbol === "string" &&
    (f.side === "buy" || f.side === "sell") &&
    typeof f.amount === "number" &&
    typeof f.price === "number" &&
    typeof f.fee === "number" &&
    typeof f.feeCurrency === "string" &&
    typeof f.time === "number"
  );
}
