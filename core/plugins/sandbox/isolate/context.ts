// Runs inside the isolate: builds the `ctx` object a plugin sees. Frozen, so a plugin cannot swap the
// helpers the bootstrap relies on; members whose permission the manifest lacks throw on access, and so do
// the position-dependent ones inside onCandles, which runs ahead of the host's fills.

import { batchOnlyError, PluginUsageError } from "./errors.ts";
import type { LogBook } from "./logbook.ts";
import type { Market } from "./market.ts";
import type { PluginState } from "./state.ts";

/** What the context needs from the runtime that owns it. */
export interface ContextHost {
  readonly market: Market;
  readonly stepTime: number;
  readonly warmup: boolean;
  readonly phase: string;
  symbolIndex(symbol: unknown, where: string): number;
  order(side: "buy" | "sell", order: unknown): boolean;
  close(order: unknown): boolean;
  target(i: unknown, side: unknown, order: unknown): void;
}

export interface ContextParts {
  params: Readonly<Record<string, unknown>>;
  symbols: readonly string[];
  ta?: Readonly<Record<string, (...args: unknown[]) => unknown>>;
  state?: PluginState;
  log?: LogBook["facade"];
}

/**
 * @example const ctx = createContext(runtime, { params, symbols, ta }); ctx.position().quantity // 0
 */
export function createContext(host: ContextHost, parts: ContextParts): object {
  const { market } = host;
  const denied = (member: string, permission: string) =>
    new PluginUsageError(`ctx.${member} needs the "${permission}" permission in plugin.yaml`);
  const positionFree = (member: string) => {
    if (host.phase === "onCandles") throw batchOnlyError(`ctx.${member}`);
  };
  return Object.freeze({
    params: parts.params,
    symbols: parts.symbols,
    get time(): number {
      return host.stepTime;
    },
    get warmup(): boolean {
      return host.warmup;
    },
    position(symbol?: unknown) {
      positionFree("position()");
      const s = host.symbolIndex(symbol, "ctx.position");
      const quantity = market.quantity[s] as number;
      const entryPrice = market.entryPrice[s] as number;
      const unrealizedPnl = quantity === 0 ? 0 : quantity * (market.markPrice(s) - entryPrice);
      return Object.freeze({ symbol: parts.symbols[s], quantity, entryPrice, unrealizedPnl });
    },
    get balance() {
      positionFree("balance");
      return Object.freeze({ cash: market.cash, equity: market.equity(), allocation: market.allocation });
    },
    get ta() {
      if (!parts.ta) throw denied("ta", "indicators");
      return parts.ta;
    },
    get state() {
      if (!parts.state) throw denied("state", "state");
      return parts.state;
    },
    get log() {
      if (!parts.log) throw denied("log", "log");
      return parts.log;
    },
    buy(order?: unknown): boolean {
      positionFree("buy()");
      return host.order("buy", order);
    },
    sell(order?: unknown): boolean {
      positionFree("sell()");
      return host.order("sell", order);
    },
    close(order?: unknown): boolean {
      positionFree("close()");
      return host.close(order);
    },
    target(i: unknown, side: unknown, order?: unknown): void {
      host.target(i, side, order);
    },
  });
}
