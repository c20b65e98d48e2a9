import type { Clock } from "../../../../core/clock.ts";
import { InvalidOrderError, RateLimitedError, RetryableExchangeError } from "../../../../core/execution/errors.ts";
import type { CreateOrderRequest, ExchangeAdapter, ExchangeOrder } from "../../../../core/execution/exchange.ts";

/** What the next create (or lookup) does instead of, or besides, its work. */
export type CreateFault =
  /** Refused before the exchange acted (a 500 from a gateway): nothing created. */
  | { readonly kind: "fail" }
  /** Created, then the reply was lost (dropped connection). */
  | { readonly kind: "lost-reply" }
  /** Timed out on our side; the exchange creates it `afterMs` later (it sat in a queue). */
  | { readonly kind: "late"; readonly afterMs: number }
  /** Timed out; the exchange creates it just before our next create arrives (after any lookup). */
  | { readonly kind: "late-until-resend" }
  /** 429 with Retry-After. */
  | { readonly kind: "rate-limit"; readonly retryAfterMs: number }
  | { readonly kind: "invalid"; readonly reason: string };

/**
 * An ExchangeAdapter wrapper with faults at the adapter level, deterministic on a simulated clock:
 * what the fake HTTP exchange does with sockets, done here with the executor's own clock so that
 * grace periods and late arrivals can be tested to the millisecond.
 */
export class FaultyExchange implements ExchangeAdapter {
  readonly exchange: string;
  readonly creates: CreateOrderRequest[] = [];
  lookups = 0;
  private readonly createFaults: CreateFault[] = [];
  private lookupFailures = 0;
  /** Requests sitting in the exchange's queue; `due` undefined: until the next create arrives. */
  private readonly late: { due?: number; request: CreateOrderRequest }[] = [];

  constructor(
    private readonly inner: ExchangeAdapter,
    private readonly clock: Clock,
  ) {
    this.exchange = inner.exchange;
  }

  failCreate(fault: CreateFault): void {
    this.createFaults.push(fault);
  }

  failLookups(times: number): void {
    this.lookupFailures += times;
  }

  /** Creates the exchange accepted (late ones included once they landed). */
  async exchangeOrders(symbol: string, clientOrderId: string): Promise<ExchangeOrder[]> {
    await this.land();
    const found = await this.inner.fetchOrderByClientId(symbol, clientOrderId);
    return found ? [found] : [];
  }

  async createOrder(request: CreateOrderRequest): Promise<ExchangeOrder> {
    await this.land(true);
    this.creates.push(request);
    const fault = this.createFaults.shift();
    switch (fault?.kind) {
      case "fail":
        throw new RetryableExchangeError(this.exchange, "500 Internal Server Error");
      case "rate-limit":
        throw new RateLimitedError(this.exchange, "429 Too Many Requests", fault.retryAfterMs);
      case "invalid":
        throw new InvalidOrderError(this.exchange, fault.reason);
      case "late":
        this.late.push({ due: this.clock.now() + fault.afterMs, request });
        throw new RetryableExchangeError(this.exchange, "request timed out");
      case "late-until-resend":
        this.late.push({ request });
        throw new RetryableExchangeError(this.exchange, "request timed out");
      case "lost-reply":
        await this.inner.createOrder(request);
        throw new RetryableExchangeError(this.exchange, "socket hang up");
      default:
        return this.inner.createOrder(request);
    }
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | undefined> {
    await this.land();
    this.lookups++;
    if (this.lookupFailures > 0) {
      this.lookupFailures--;
      throw new RetryableExchangeError(this.exchange, "502 Bad Gateway");
    }
    return this.inner.fetchOrderByClientId(symbol, clientOrderId);
  }

  /** Requests that sat in the exchange's queue are acted on once their time has come. */
  private async land(beforeCreate = false): Promise<void> {
    const now = this.clock.now();
    for (const entry of [...this.late]) {
      if (entry.due === undefined ? !beforeCreate : entry.due > now) continue;
      this.late.splice(this.late.indexOf(entry), 1);
      // A duplicate of an order that got there first is refused, as exchanges do; the test counts orders.
      await this.inner.createOrder(entry.request).catch(() => undefined);
    }
  }

  /** Every market list request fails (the exchange is down). */
  marketsDown = false;

  loadMarkets() {
    if (this.marketsDown) return Promise.reject(new RetryableExchangeError(this.exchange, "503 Service Unavailable"));
    return this.inner.loadMarkets();
  }
  fetchOpenOrders(symbol?: string) {
    return this.inner.fetchOpenOrders(symbol);
  }
  cancelOrder(symbol: string, clientOrderId: string) {
    return this.inner.cancelOrder(symbol, clientOrderId);
  }
  fetchBalance() {
    return this.inner.fetchBalance();
  }
  fetchTrades(symbol: string, since?: number) {
    return this.inner.fetchTrades(symbol, since);
  }
  fetchCandles(...args: Parameters<ExchangeAdapter["fetchCandles"]>) {
    return this.inner.fetchCandles(...args);
  }
  close() {
    return this.inner.close();
  }
}
