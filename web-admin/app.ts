import { Hono } from "hono";
import type { Bus } from "../core/bus/index.ts";
import type { Clock } from "../core/clock.ts";
import type { Engine } from "../core/engine.ts";
import type { EngineMetrics } from "../core/metrics.ts";
import type { Store } from "../core/store/database.ts";
import { healthRoutes } from "./routes/health.ts";

/** What the web layer reads from core; injected so tests build the app around a real engine in-process. */
export interface WebDeps {
  readonly engine: Engine;
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly metrics: EngineMetrics;
  readonly version: string;
  readonly startedAt: number;
}

/**
 * The HTTP app: health and metrics now, the admin panel and /api/v1 later. Built without a server so
 * tests call `app.request()` directly.
 * @example const app = createWebApp(deps); const res = await app.request("/health")
 */
export function createWebApp(deps: WebDeps): Hono {
  const app = new Hono();
  app.route("/", healthRoutes(deps));
  app.notFound((c) => c.json({ error: "not found", path: c.req.path }, 404));
  app.onError((error, c) => c.json({ error: "internal error", message: error.message }, 500));
  return app;
}
