// Runs inside the isolate: what ctx.target does in onCandles. Collects a batch's targets as parallel
// lists plus a table of the distinct orders they use, keeps a later target for the same symbol and step
// in place of the earlier one, and makes the first malformed call stick like a malformed ctx.buy does.

import { guardInvalid, InvalidOrderError, PluginUsageError } from "./errors.ts";
import { OUTPUT_LIMITS } from "./limits.ts";
import { normalizeTarget, record, show } from "./orders.ts";
import { orderText, type TargetsAnswer } from "./serialize.ts";

/** What the desk needs from the runtime. */
export interface TargetDeskHost {
  readonly filename: string;
  readonly phase: string;
  readonly symbols: readonly string[];
  readonly indexOf: Readonly<Record<string, number>>;
}

/** Side codes on the wire; the host maps them back (target-output.ts). */
const SIDE_CODES: Readonly<Record<string, number>> = record({ flat: 0, long: 1, short: 2 });

/** An order as the batch's table holds it (its JSON text) and the index of its symbol. */
interface Normalized {
  readonly text: string;
  readonly symbol: number;
}

/** Stands for "no order given" in the cache of known orders. */
const DEFAULT_ORDER = Object.freeze(Object.create(null)) as object;

/** Nested objects an order may have (size, a level, a trailing stop and its bands) and then some. */
const MAX_DEPTH = 4;

/**
 * True when `value` can never read differently: a primitive, or a frozen object or array whose own
 * properties are all data properties holding such values. Frozen data properties cannot change, and a
 * proxy must report its frozen target's values (the invariants of a non-configurable, non-writable
 * property), so a plugin's getter or trap cannot vary the answer later. Any doubt (a trap that throws, too
 * deep) is false.
 */
function immutable(value: unknown, depth: number): boolean {
  if (typeof value !== "object" || value === null) return typeof value !== "function";
  if (depth > MAX_DEPTH) return false;
  try {
    if (!Object.isFrozen(value)) return false;
    const keys = Reflect.ownKeys(value);
    if (keys.length > 32) return false;
    for (const key of keys) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !("value" in descriptor)) return false;
      if (!immutable(descriptor.value, depth + 1)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * @example const desk = new TargetDesk(runtime); desk.begin(100); desk.target(5, "long", undefined); desk.take()
 */
export class TargetDesk {
  /** The first malformed call's message (with its location); the instance fails with invalid-output. */
  invalid: string | undefined;
  private length = 0;
  private at: number[] = [];
  private side: number[] = [];
  private order: number[] = [];
  /** Symbol index of each kept target: a later one for the same symbol and step replaces it. */
  private symbolOf: number[] = [];
  private orders: string[] = [];
  private orderIndex = new Map<string, number>();
  /** Where the targets of the latest step begin in the lists. */
  private stepStart = 0;
  private lastAt = -1;

  /** Orders that cannot change, by identity (undefined as DEFAULT_ORDER); emptied when the symbols change. */
  private known = new WeakMap<object, Normalized>();

  constructor(private readonly host: TargetDeskHost) {}

  /** A new instance (init): its symbols may differ from the last one's. */
  reset(): void {
    this.known = new WeakMap();
    this.begin(0);
  }

  /** A new batch of `length` candles. */
  begin(length: number): void {
    this.length = length;
    this.at = [];
    this.side = [];
    this.order = [];
    this.symbolOf = [];
    this.orders = [];
    this.orderIndex = new Map();
    this.stepStart = 0;
    this.lastAt = -1;
  }

  /** The batch's targets, and a clean desk. */
  take(): TargetsAnswer {
    const answer = { at: this.at, side: this.side, order: this.order, orders: this.orders };
    this.begin(0);
    return answer;
  }

  target(i: unknown, side: unknown, order: unknown): void {
    if (this.invalid !== undefined) return;
    if (this.host.phase !== "onCandles") {
      throw new PluginUsageError(`ctx.target is only allowed in onCandles (called in ${this.host.phase})`);
    }
    const at = this.guard(() => this.index(i));
    const code = typeof side === "string" ? SIDE_CODES[side] : undefined;
    if (code === undefined)
      this.guard(() => {
        throw new InvalidOrderError(`ctx.target: side must be "long", "short" or "flat", got ${show(side)}`);
      });
    const { text, symbol: s } = this.normalized(order);
    let index = this.orderIndex.get(text);
    if (index === undefined) {
      index = this.orders.length;
      if (index >= OUTPUT_LIMITS.targetOrdersPerBatch)
        this.fail(
          `ctx.target: more than ${OUTPUT_LIMITS.targetOrdersPerBatch} different orders in one batch; reuse a few order objects and put changing text in ctx.log rather than in reason`,
        );
      this.orderIndex.set(text, index);
      this.orders.push(text);
    }
    if (at > this.lastAt) {
      this.lastAt = at;
      this.stepStart = this.at.length;
    }
    for (let k = this.stepStart; k < this.at.length; k++) {
      if (this.symbolOf[k] !== s) continue;
      this.side[k] = code as number;
      this.order[k] = index;
      return;
    }
    if (this.at.length - this.stepStart >= OUTPUT_LIMITS.intentsPerStep)
      this.fail(`ctx.target: more than ${OUTPUT_LIMITS.intentsPerStep} targets at one step`);
    if (this.at.length >= OUTPUT_LIMITS.targetsPerBatch)
      this.fail(`ctx.target: more than ${OUTPUT_LIMITS.targetsPerBatch} targets in one batch`);
    this.at.push(at);
    this.side.push(code as number);
    this.order.push(index);
    this.symbolOf.push(s);
  }

  /**
   * The order as text, and its symbol's index. Validating an order costs about a microsecond, so an
   * order that cannot change (deep-frozen, data properties only: see immutable) is validated once and
   * remembered by identity; anything else is read afresh at every call, as ctx.buy reads its order.
   */
  private normalized(order: unknown): Normalized {
    const key = order === undefined ? DEFAULT_ORDER : order;
    const known = typeof key === "object" && key !== null ? this.known.get(key) : undefined;
    if (known !== undefined) return known;
    const spec = this.guard(() => normalizeTarget(order, "ctx.target", (symbol, where) => this.symbol(symbol, where)));
    const out: Normalized = record({ text: orderText(spec), symbol: this.host.indexOf[spec.symbol] as number });
    if (key === DEFAULT_ORDER || immutable(key, 0)) this.known.set(key as object, out);
    return out;
  }

  /** An index into the batch, at or after the previous target's. */
  private index(i: unknown): number {
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= this.length)
      throw new InvalidOrderError(`ctx.target: i must be an integer from 0 to ${this.length - 1}, got ${show(i)}`);
    if (i < this.lastAt)
      throw new InvalidOrderError(
        `ctx.target: i = ${i} comes after a target at ${this.lastAt}; targets must come in non-decreasing i`,
      );
    return i;
  }

  /** The order's symbol: one the instance trades; the first (the batch's primary) when not named. */
  private symbol(symbol: unknown, where: string): string {
    const { symbols, indexOf } = this.host;
    if (symbol === undefined) return symbols[0] as string;
    if (typeof symbol !== "string" || indexOf[symbol] === undefined)
      throw new InvalidOrderError(`${where}: symbol ${show(symbol)} is not one of ${symbols.join(", ")}`);
    return symbol;
  }

  private fail(message: string): never {
    return this.guard(() => {
      throw new InvalidOrderError(message);
    });
  }

  /** Runs `fn`; an InvalidOrderError sticks (the plugin may catch it, the instance still fails). */
  private guard<T>(fn: () => T): T {
    return guardInvalid(this, this.host.filename, fn);
  }
}
