import { Hono } from "hono";
import { sql } from "kysely";
import type { WebDeps } from "../app.ts";

/** How long a `SELECT 1` may take before /health calls the database down. */
const DB_PROBE_TIMEOUT_MS = 2_000;

/**
 * GET /health: JSON for load balancers and people (status, version, uptime, database, bus, engine);
 * 200 while the engine runs or is starting and the database and bus answer, 503 otherwise. GET /metrics: Prometheus text.
 */
export function healthRoutes(deps: WebDeps): Hono {
  const app = new Hono();

  app.get("/health", async (c) => {
    const db = await probeDatabase(deps);
    const bus = deps.bus.status();
    const engine = deps.engine.status();
    const serving = db.ok && bus.state === "open" && (engine.state === "running" || engine.state === "starting");
    return c.json(
      {
        status: !serving ? "degraded" : engine.state === "running" ? "ok" : "starting",
        version: deps.version,
        uptimeSeconds: Math.round((deps.clock.now() - deps.startedAt) / 1000),
        db,
        bus,
        engine,
      },
      serving ? 200 : 503,
    );
  });

  app.get("/metrics", async (c) => {
    deps.metrics.busPending.set(deps.bus.status().pending);
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { "content-type": deps.metrics.registry.contentType });
  });

  return app;
}

async function probeDatabase(
  deps: WebDeps,
): Promise<{ ok: boolean; dialect: string; latencyMs: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(deps.store.db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("database did not answer in time")), DB_PROBE_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, dialect: deps.store.dialect, latencyMs: round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, dialect: deps.store.dialect, latencyMs: round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
