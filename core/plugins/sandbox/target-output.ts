import { z } from "zod";
import type { EmittedTarget, RawTarget, TargetSide } from "../../strategy/targets.ts";
import { PluginFailure } from "./failure.ts";
import { OUTPUT_LIMITS as L } from "./isolate/limits.ts";
import { levelSchema, sizeSchema, strict, trailingSchema } from "./output-schemas.ts";

// The host's barrier for the targets of an onCandles batch. They come compactly (isolate/serialize.ts):
// parallel lists of batch index, side code and order index, and a table of the distinct orders. The
// table is checked with the same schemas as an intent, once per batch; the lists, which may hold
// thousands of entries, with one tight loop. Nothing here trusts the bootstrap's own checks.

const orderSchema = strict({
  symbol: z.string().min(1).max(L.symbolChars),
  size: sizeSchema,
  stopLoss: levelSchema.optional(),
  takeProfit: levelSchema.optional(),
  trailingStop: trailingSchema.optional(),
  reason: z.string().max(L.reasonChars).optional(),
});

const tableSchema = z.array(orderSchema).max(L.targetOrdersPerBatch);

/** Side codes on the wire, by code. */
const SIDES: readonly TargetSide[] = ["flat", "long", "short"];
const KEYS: readonly string[] = ["at", "side", "order", "orders"];

type Order = z.infer<typeof orderSchema>;

/**
 * Removes `targets` from a parsed answer and returns it (undefined when there is none): the rest of the
 * answer is checked as any other, the targets apart.
 * @example const data = JSON.parse(raw); const targets = takeTargets(data); schemaChecked(data)
 */
export function takeTargets(data: unknown): unknown {
  if (typeof data !== "object" || data === null || !Object.hasOwn(data, "targets")) return undefined;
  const record = data as Record<string, unknown>;
  const targets = record.targets;
  delete record.targets;
  return targets ?? null;
}

/**
 * The targets of a batch over steps [from, to), validated: indices in the batch, non-decreasing, at most
 * OUTPUT_LIMITS.intentsPerStep per step and one per symbol, known sides, orders from a valid table on
 * traded symbols. Steps come back absolute. Throws PluginFailure("invalid-output") with the reason.
 * @example parseTargets({ at: [3], side: [1], order: [0], orders: [{ symbol: "BTC/USDT", size: { kind: "fraction", value: 1 } }] }, ["BTC/USDT"], { from: 100, to: 200 })
 *   // [{ step: 103, target: { symbol: "BTC/USDT", side: "long", size: { kind: "fraction", value: 1 } } }]
 */
export function parseTargets(
  raw: unknown,
  symbols: readonly string[],
  range: { readonly from: number; readonly to: number },
): EmittedTarget[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || Object.getPrototypeOf(raw) !== Object.prototype)
    throw invalid("targets must be an object");
  const keys = Object.keys(raw);
  if (keys.length !== KEYS.length || !keys.every((k) => KEYS.includes(k)))
    throw invalid(`targets must have exactly the fields ${KEYS.join(", ")}`);
  const { at, side, order, orders } = raw as Record<string, unknown>;
  const table = checkedTable(orders, symbols);
  if (!Array.isArray(at) || !Array.isArray(side) || !Array.isArray(order))
    throw invalid("targets: at, side and order must be lists");
  const n = at.length;
  if (side.length !== n || order.length !== n) throw invalid("targets: at, side and order must be of one length");
  const steps = range.to - range.from;
  if (n > Math.min(L.targetsPerBatch, steps * L.intentsPerStep))
    throw invalid(`targets: ${n} targets for a batch of ${steps} steps`);

  const symbolOf = table.map((o) => symbols.indexOf(o.symbol));
  const lastAt = new Float64Array(symbols.length).fill(-1);
  const made: (RawTarget | undefined)[] = [];
  const out: EmittedTarget[] = new Array(n);
  let previous = -1;
  let inStep = 0;
  for (let k = 0; k < n; k++) {
    const i = at[k];
    const code = side[k];
    const o = order[k];
    if (!Number.isInteger(i) || (i as number) < Math.max(previous, 0) || (i as number) >= steps)
      throw invalid(`targets.at.${k}: ${String(i)} is not a batch index at or after ${Math.max(previous, 0)}`);
    if (code !== 0 && code !== 1 && code !== 2) throw invalid(`targets.side.${k}: unknown side code ${String(code)}`);
    if (!Number.isInteger(o) || (o as number) < 0 || (o as number) >= table.length)
      throw invalid(`targets.order.${k}: ${String(o)} is not an index into the ${table.length} orders`);
    inStep = i === previous ? inStep + 1 : 1;
    previous = i as number;
    const step = range.from + previous;
    if (inStep > L.intentsPerStep) throw invalid(`targets: more than ${L.intentsPerStep} at step ${step}`);
    const s = symbolOf[o as number] as number;
    if (lastAt[s] === previous) throw invalid(`targets.at.${k}: a second target for ${symbols[s]} at step ${step}`);
    lastAt[s] = previous;
    const key = (o as number) * 3 + code;
    let target = made[key];
    if (target === undefined) {
      target = rawTarget(table[o as number] as Order, SIDES[code] as TargetSide);
      made[key] = target;
    }
    out[k] = { target, step };
  }
  return out;
}

function checkedTable(orders: unknown, symbols: readonly string[]): Order[] {
  const result = tableSchema.safeParse(orders);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.map(String).join(".") : "";
    throw invalid(`targets.orders${where === "" ? "" : `.${where}`}: ${issue?.message ?? "rejected"}`);
  }
  for (const [i, o] of result.data.entries()) {
    if (!symbols.includes(o.symbol)) throw invalid(`targets.orders.${i}.symbol: "${o.symbol}" is not traded`);
  }
  return result.data;
}

/** A target with no undefined fields, frozen: one object serves every target of that order and side. */
function rawTarget(o: Order, side: TargetSide): RawTarget {
  const target: { -readonly [K in keyof RawTarget]: RawTarget[K] } = { symbol: o.symbol, side, size: o.size };
  if (o.stopLoss !== undefined) target.stopLoss = o.stopLoss;
  if (o.takeProfit !== undefined) target.takeProfit = o.takeProfit;
  if (o.trailingStop !== undefined) target.trailingStop = o.trailingStop;
  if (o.reason !== undefined) target.reason = o.reason;
  return Object.freeze(target);
}

function invalid(message: string): PluginFailure {
  return new PluginFailure("invalid-output", message);
}
