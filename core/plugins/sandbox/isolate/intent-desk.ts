// Runs inside the isolate: what ctx.buy, ctx.sell and ctx.close do. Collects the intents of the current
// step, enforces the per-step cap, remembers which symbols this step already closes, and makes the first
// malformed order stick: the plugin may catch the error at its call site, the instance fails regardless.

import { guardInvalid, InvalidOrderError, PluginUsageError } from "./errors.ts";
import { OUTPUT_LIMITS } from "./limits.ts";
import type { Market } from "./market.ts";
import { type IntentOut, normalizeClose, normalizeOrder, record, show } from "./orders.ts";

/** What the desk needs from the runtime. */
export interface DeskHost {
  readonly market: Market;
  readonly filename: string;
  readonly phase: string;
  readonly symbols: readonly string[];
  readonly indexOf: Readonly<Record<string, number>>;
  symbolIndex(symbol: unknown, where: string): number;
}

const INTENT_PHASES: readonly string[] = ["onCandle", "onBar", "onFill", "onStop"];

/**
 * @example const desk = new IntentDesk(runtime); desk.reset(1); desk.order("buy", { size: { quote: 10 } }); desk.take()
 */
export class IntentDesk {
  pending: IntentOut[] = [];
  /** The first malformed order's message (with its location); the instance fails with invalid-output. */
  invalid: string | undefined;
  private closing: boolean[] = [];

  constructor(private readonly host: DeskHost) {}

  /** A new instance trading `count` symbols. */
  reset(count: number): void {
    this.closing = new Array<boolean>(count).fill(false);
  }

  /** A new step (or onFill/onStop call): nothing is being closed yet. */
  newStep(): void {
    for (let s = 0; s < this.closing.length; s++) this.closing[s] = false;
  }

  /** The intents asked for since the last take. */
  take(): IntentOut[] {
    const intents = this.pending;
    this.pending = [];
    return intents;
  }

  order(side: "buy" | "sell", order: unknown): boolean {
    // Already failing: the first bad call threw (with its line); later ones return at once, so a plugin
    // that catches and retries a million times fails for what it did, not by timing out.
    if (this.invalid !== undefined) return false;
    const where = `ctx.${side}`;
    this.expectIntentPhase(where);
    this.checkRoom();
    const { market, symbols } = this.host;
    const intent = this.guard(() =>
      normalizeOrder(side, order, where, (symbol, w) => {
        const s = this.orderSymbol(symbol, w);
        // No candle of it yet means no price: the host could not size or attribute the order.
        if (Number.isNaN(market.lastClose[s] as number))
          throw new InvalidOrderError(`${w}: no candle of ${symbols[s]} yet`);
        return symbols[s] as string;
      }),
    );
    this.pending.push(intent);
    return true;
  }

  close(order: unknown): boolean {
    if (this.invalid !== undefined) return false;
    this.expectIntentPhase("ctx.close");
    this.checkRoom();
    const request = this.guard(() => normalizeClose(order, "ctx.close"));
    const s = this.guard(() => this.orderSymbol(request.symbol, "ctx.close"));
    const quantity = this.host.market.quantity[s] as number;
    // Flat, or already closing in this step: nothing to ask for (documented in docs/plugin-api.md).
    if (quantity === 0 || this.closing[s]) return false;
    this.closing[s] = true;
    const intent: IntentOut = record({
      symbol: this.host.symbols[s] as string,
      side: quantity > 0 ? "sell" : "buy",
      reduceOnly: true,
      // The whole position whatever it is when the order executes: reduce-only with a fraction of 1.
      size: record({ kind: "fraction", value: 1 }),
      type: "market",
    } as IntentOut);
    if (request.reason !== undefined) intent.reason = request.reason;
    this.pending.push(intent);
    return true;
  }

  private orderSymbol(symbol: unknown, where: string): number {
    if (symbol === undefined) return this.host.symbolIndex(undefined, where);
    const index = typeof symbol === "string" ? this.host.indexOf[symbol] : undefined;
    if (index === undefined) {
      throw new InvalidOrderError(`${where}: symbol ${show(symbol)} is not one of ${this.host.symbols.join(", ")}`);
    }
    return index;
  }

  private checkRoom(): void {
    if (this.pending.length < OUTPUT_LIMITS.intentsPerStep) return;
    this.guard(() => {
      throw new InvalidOrderError(`more than ${OUTPUT_LIMITS.intentsPerStep} intents in one step`);
    });
  }

  /** Runs `fn`; an InvalidOrderError sticks (the plugin may catch it, the instance still fails). */
  private guard<T>(fn: () => T): T {
    return guardInvalid(this, this.host.filename, fn);
  }

  private expectIntentPhase(where: string): void {
    const phase = this.host.phase;
    if (!INTENT_PHASES.includes(phase)) {
      throw new PluginUsageError(`${where} is only allowed in onCandle, onBar, onFill and onStop (called in ${phase})`);
    }
  }
}
