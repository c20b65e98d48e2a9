/**
 * Faults a test can queue on a route of the fake exchange. Each fault is used once, by the next
 * request that matches its route.
 */
export type Fault =
  /** Reply with this HTTP status and the exchange's own error body; with `retryAfter` (seconds) as a Retry-After header. */
  | { readonly status: number; readonly retryAfter?: number }
  /** Hold the request this long, then handle it: a slow exchange that still does the work. */
  | { readonly timeoutMs: number }
  /** Handle the request (the order is accepted), then destroy the socket without replying. */
  | { readonly dropAfterAccept: true }
  /** Refuse with the exchange's own "insufficient balance" error. */
  | { readonly insufficientFunds: true }
  /** Refuse with the exchange's own "invalid order" error carrying this reason. */
  | { readonly invalidOrder: string };

/**
 * Faults waiting by route. A route is "METHOD /path" (exact) or "/path" (any method), paths without
 * query: "POST /api/v3/order", "/v1/accounts".
 * @example faults.add("POST /api/v3/order", { status: 500 }); faults.take("POST", "/api/v3/order") // { status: 500 }
 */
export class FaultQueue {
  private readonly queued = new Map<string, Fault[]>();

  add(route: string, fault: Fault): void {
    const key = normalise(route);
    this.queued.set(key, [...(this.queued.get(key) ?? []), fault]);
  }

  take(method: string, path: string): Fault | undefined {
    for (const key of [`${method.toUpperCase()} ${path}`, path]) {
      const list = this.queued.get(key);
      if (list && list.length > 0) return list.shift();
    }
    return undefined;
  }

  /** Faults no request has used yet: a test that queued one expects it used. */
  pending(): string[] {
    return [...this.queued.entries()].filter(([, list]) => list.length > 0).map(([key]) => key);
  }
}

function normalise(route: string): string {
  const [first, second] = route.trim().split(/\s+/);
  return second === undefined ? (first as string) : `${(first as string).toUpperCase()} ${second}`;
}
