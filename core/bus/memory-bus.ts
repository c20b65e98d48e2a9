import type { Logger } from "pino";
import type { Bus, Endpoint, Handler, Unsubscribe } from "./bus.ts";
import type { BusEvents, BusTopic } from "./events.ts";

type AnyHandler = (payload: unknown) => void | Promise<void>;

/**
 * The in-process bus of the embedded mode. Delivery is asynchronous (a microtask later) so publishers
 * never run subscriber code on their own stack, as with a remote bus; each subscriber gets events in
 * publish order, and one failing handler is logged without affecting the others.
 */
export class MemoryBus implements Bus {
  private readonly handlers = new Map<string, Set<AnyHandler>>();
  private readonly endpoints = new Map<string, (request: unknown) => Promise<unknown>>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly log?: Logger) {}

  publish<T extends BusTopic>(topic: T, payload: BusEvents[T]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`bus is closed; cannot publish ${topic}`));
    const handlers = this.handlers.get(topic);
    if (!handlers || handlers.size === 0) return Promise.resolve();
    for (const handler of handlers) {
      const delivery = Promise.resolve()
        .then(() => handler(payload))
        .catch((error: unknown) => this.log?.error({ err: error, topic }, "bus handler failed"))
        .finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
    return Promise.resolve();
  }

  listens(topic: BusTopic): boolean {
    // A closed bus still "listens": publishing to it must fail as it always did.
    return this.closed || (this.handlers.get(topic)?.size ?? 0) > 0;
  }

  subscribe<T extends BusTopic>(topic: T, handler: Handler<T>): Unsubscribe {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    const h = handler as AnyHandler;
    set.add(h);
    return () => set.delete(h);
  }

  handle<E extends Endpoint>(endpoint: E, handler: (request: never) => Promise<unknown>): Unsubscribe {
    if (this.endpoints.has(endpoint)) throw new Error(`endpoint ${String(endpoint)} already has a handler`);
    this.endpoints.set(endpoint, handler as (request: unknown) => Promise<unknown>);
    return () => this.endpoints.delete(endpoint);
  }

  async request<E extends Endpoint>(endpoint: E, request: unknown, options?: { timeoutMs?: number }): Promise<never> {
    const handler = this.endpoints.get(endpoint);
    if (!handler) throw new Error(`no handler for endpoint ${String(endpoint)}`);
    const timeoutMs = options?.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`request to ${String(endpoint)} timed out`)), timeoutMs);
    });
    try {
      return (await Promise.race([handler(request), timeout])) as never;
    } finally {
      clearTimeout(timer);
    }
  }

  async drain(): Promise<void> {
    // Handlers may publish more events while we wait, so loop until nothing is in flight.
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
    this.handlers.clear();
    this.endpoints.clear();
  }

  status() {
    return { state: this.closed ? "closed" : "open", pending: this.inFlight.size, kind: "memory" } as const;
  }
}
