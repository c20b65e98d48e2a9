import type { Clock } from "../../clock.ts";
import type { ExchangeAdapter, MarketInfo } from "../exchange.ts";
import { type RetryPolicy, type RetryRuntime, withRetry } from "./retry.ts";

/** How often a symbol the exchange did not list may trigger a fresh market list. */
const RELOAD_AFTER_MS = 60_000;

/**
 * The exchange's markets, loaded once and reloaded when a symbol is missing (a new listing, or a
 * paper exchange that learns symbols from its feed), at most once a minute.
 * @example const market = await markets.get("BTC/USDT") // { amountStep: 0.00001, ... } or undefined
 */
export class MarketCache {
  private markets: ReadonlyMap<string, MarketInfo> | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly exchange: ExchangeAdapter,
    private readonly clock: Clock,
    private readonly policy: RetryPolicy,
    private readonly runtime: RetryRuntime,
  ) {}

  /** The market if the list is loaded and has it, without a wait: the order path's usual case. */
  cached(symbol: string): MarketInfo | undefined {
    return this.markets?.get(symbol);
  }

  async get(symbol: string): Promise<MarketInfo | undefined> {
    const known = this.markets?.get(symbol);
    if (known) return known;
    if (this.markets && this.clock.now() - this.loadedAt < RELOAD_AFTER_MS && this.exchange.exchange !== "paper") {
      return undefined;
    }
    this.markets = await withRetry(() => this.exchange.loadMarkets(), this.policy, this.runtime);
    this.loadedAt = this.clock.now();
    return this.markets.get(symbol);
  }
}
