import type { BacktestTrade } from "./types.ts";
import { type Dictionary, DictionaryWriter, dictionaryProblem, NONE, numbersProblem } from "./wire-columns.ts";

/** A run's trades as columns: entry `i` of each is trade `i`'s field. */
export interface TradeColumns {
  /** Which keys trade `i` has: its first SHAPES[shape[i]] of KEYS (open, closed, closed with a reason). */
  readonly shape: Uint8Array;
  readonly symbol: Dictionary;
  readonly direction: Dictionary;
  readonly quantity: Float64Array;
  readonly entryTime: Float64Array;
  readonly entryPrice: Float64Array;
  readonly pnl: Float64Array;
  readonly pnlPct: Float64Array;
  readonly fees: Float64Array;
  /** Read where the shape has them (0 elsewhere). */
  readonly exitTime: Float64Array;
  readonly exitPrice: Float64Array;
  /** NONE where the shape has no reason. */
  readonly exitReason: Dictionary;
}

/**
 * A trade's keys in the order roundTrips writes them (core/backtest/trades.ts): the exit keys are added
 * when the trade closes, the reason only when its order had one.
 */
const KEYS = [
  "symbol",
  "direction",
  "quantity",
  "entryTime",
  "entryPrice",
  "pnl",
  "pnlPct",
  "fees",
  "exitTime",
  "exitPrice",
  "exitReason",
] as const;
const OPEN = 0;
const CLOSED = 1;
const CLOSED_WITH_REASON = 2;
/** How many of KEYS each shape has. */
const SHAPES = [8, 10, 11] as const;

/**
 * The trades as columns, or undefined when one of them is not a plain trade as roundTrips writes it
 * (other keys, another order, an optional key present but undefined, a value of another type).
 * @example tradesOf(tradeColumns(run.trades) as TradeColumns) // equal to run.trades, key for key
 */
export function tradeColumns(trades: readonly BacktestTrade[]): TradeColumns | undefined {
  const n = trades.length;
  const shape = new Uint8Array(n);
  const symbol = new DictionaryWriter(n);
  const direction = new DictionaryWriter(n);
  const quantity = new Float64Array(n);
  const entryTime = new Float64Array(n);
  const entryPrice = new Float64Array(n);
  const pnl = new Float64Array(n);
  const pnlPct = new Float64Array(n);
  const fees = new Float64Array(n);
  const exitTime = new Float64Array(n);
  const exitPrice = new Float64Array(n);
  const exitReason = new DictionaryWriter(n);
  for (let i = 0; i < n; i++) {
    const t = trades[i];
    const s = shapeOf(t);
    if (s === undefined || t === undefined) return undefined;
    shape[i] = s;
    symbol.add(i, t.symbol);
    direction.add(i, t.direction);
    quantity[i] = t.quantity;
    entryTime[i] = t.entryTime;
    entryPrice[i] = t.entryPrice;
    pnl[i] = t.pnl;
    pnlPct[i] = t.pnlPct;
    fees[i] = t.fees;
    if (s === OPEN) continue;
    exitTime[i] = t.exitTime as number;
    exitPrice[i] = t.exitPrice as number;
    if (s === CLOSED_WITH_REASON) exitReason.add(i, t.exitReason as string);
  }
  return {
    shape,
    symbol: symbol.done(),
    direction: direction.done(),
    quantity,
    entryTime,
    entryPrice,
    pnl,
    pnlPct,
    fees,
    exitTime,
    exitPrice,
    exitReason: exitReason.done(),
  };
}

/**
 * The trades back from columns (checked with tradeColumnsProblem), each with the keys of its shape in
 * roundTrips' order: an open trade has no exit keys at all, not undefined ones.
 * @example tradesOf(columns).at(-1) // { symbol: "BTC/USDT", direction: "long", ..., fees: 2.1 } (still open)
 */
export function tradesOf(c: TradeColumns): BacktestTrade[] {
  const n = c.shape.length;
  const trades: BacktestTrade[] = [];
  for (let i = 0; i < n; i++) {
    const symbol = c.symbol.values[c.symbol.index[i] as number] as string;
    const direction = c.direction.values[c.direction.index[i] as number] as BacktestTrade["direction"];
    const s = c.shape[i];
    // One literal per shape: objects of one shape share a layout, as roundTrips' do.
    if (s === OPEN) {
      trades.push({
        symbol,
        direction,
        quantity: c.quantity[i] as number,
        entryTime: c.entryTime[i] as number,
        entryPrice: c.entryPrice[i] as number,
        pnl: c.pnl[i] as number,
        pnlPct: c.pnlPct[i] as number,
        fees: c.fees[i] as number,
      });
    } else if (s === CLOSED) {
      trades.push({
        symbol,
        direction,
        quantity: c.quantity[i] as number,
        entryTime: c.entryTime[i] as number,
        entryPrice: c.entryPrice[i] as number,
        pnl: c.pnl[i] as number,
        pnlPct: c.pnlPct[i] as number,
        fees: c.fees[i] as number,
        exitTime: c.exitTime[i] as number,
        exitPrice: c.exitPrice[i] as number,
      });
    } else {
      trades.push({
        symbol,
        direction,
        quantity: c.quantity[i] as number,
        entryTime: c.entryTime[i] as number,
        entryPrice: c.entryPrice[i] as number,
        pnl: c.pnl[i] as number,
        pnlPct: c.pnlPct[i] as number,
        fees: c.fees[i] as number,
        exitTime: c.exitTime[i] as number,
        exitPrice: c.exitPrice[i] as number,
        exitReason: c.exitReason.values[c.exitReason.index[i] as number] as string,
      });
    }
  }
  return trades;
}

/**
 * What is wrong with trade columns from a child, or undefined: tradesOf reads them whole without a throw.
 * @example tradeColumnsProblem(tradeColumns([])) // undefined
 */
export function tradeColumnsProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "neither an array nor columns";
  const c = value as Record<string, unknown>;
  const shape = c.shape;
  if (!(shape instanceof Uint8Array)) return "shape: not a Uint8Array";
  const n = shape.length;
  for (const key of KEYS) {
    const column = c[key];
    const problem =
      key === "symbol" || key === "direction" || key === "exitReason"
        ? dictionaryProblem(column, n, key === "exitReason")
        : numbersProblem(column, n);
    if (problem) return `${key}: ${problem}`;
  }
  const reasons = (c.exitReason as Dictionary).index;
  for (let i = 0; i < n; i++) {
    const s = shape[i] as number;
    if (s > CLOSED_WITH_REASON) return "shape: unknown";
    if ((s === CLOSED_WITH_REASON) !== (reasons[i] !== NONE)) return "exitReason: does not match the shape";
  }
  const directions = (c.direction as Dictionary).values;
  if (directions.some((d) => d !== "long" && d !== "short")) return "direction: neither long nor short";
  return undefined;
}

/** Which shape a plain trade has, or undefined when it is not one as roundTrips writes it. */
function shapeOf(t: BacktestTrade | undefined): number | undefined {
  if (typeof t !== "object" || t === null) return undefined;
  let k = 0;
  // for-in: the keys JSON.stringify writes, in its order (and inherited enumerable ones, which it does not).
  for (const key in t) if (key !== KEYS[k++]) return undefined;
  const s = SHAPES.indexOf(k as (typeof SHAPES)[number]);
  const typed =
    typeof t.symbol === "string" &&
    (t.direction === "long" || t.direction === "short") &&
    typeof t.quantity === "number" &&
    typeof t.entryTime === "number" &&
    typeof t.entryPrice === "number" &&
    typeof t.pnl === "number" &&
    typeof t.pnlPct === "number" &&
    typeof t.fees === "number" &&
    (s === OPEN || (typeof t.exitTime === "number" && typeof t.exitPrice === "number")) &&
    (s !== CLOSED_WITH_REASON || typeof t.exitReason === "string");
  return s >= 0 && typed ? s : undefined;
}
