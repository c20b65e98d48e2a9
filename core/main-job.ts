import path from "node:path";
import { serve } from "@hono/node-server";
import { createCoreServices, scheduleDailySummary } from "../bot/commands/index.ts";
import { startTelegramFromEnv } from "../bot/telegram/index.ts";
import { createWebApp } from "../web-admin/app.ts";
import { MemoryBus } from "./bus/index.ts";
import { systemClock } from "./clock.ts";
import { loadEnv, loadStrategiesFile } from "./config/index.ts";
import { createEngine } from "./engine.ts";
import { createLogger, type Logger } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { PluginRegistry } from "./plugins/registry.ts";
import { createStore } from "./store/database.ts";
import { migrateToLatest } from "./store/migrate.ts";
import { VERSION } from "./version.ts";

/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 5_000;

/**
 * `npm start`: validate config, migrate, import the sample candles into an empty database, start the
 * engine and the HTTP server, and shut all of it down cleanly on SIGINT/SIGTERM. Any failure before the
 * server listens is fatal with a one-line cause (thrown to the CLI).
 */
export async function startMain(): Promise<void> {
  const env = loadEnv();
  const log = createLogger({ level: env.LOG_LEVEL });
  const loaded = loadStrategiesFile(env.QUANTCHAT_CONFIG);
  const config = loaded.config;
  log.info(
    { version: VERSION, config: loaded.file, accounts: config.accounts.length, strategies: config.strategies.length },
    "starting quantchat",
  );

  const store = createStore(env.DATABASE_URL);
  log.info({ database: store.description }, "database opened");
  await migrateToLatest(store, log);

  const cacheDir = path.resolve(env.QUANTCHAT_STATE_DIR, "cache");
  const bus = new MemoryBus(log);
  const metrics = createMetrics();
  const sampleDataDir = path.resolve(env.QUANTCHAT_DATA_DIR);
  const plugins = PluginRegistry.discover([path.resolve("plugins")]);
  for (const problem of plugins.problems) log.warn({ dir: problem.dir, err: problem.error.message }, "plugin skipped");
  const engine = createEngine({
    clock: systemClock,
    bus,
    store,
    loaded,
    registry: plugins.registry,
    log,
    cacheDir,
    sampleDataDir,
    metrics,
    masterKey: env.QUANTCHAT_MASTER_KEY,
  });

  // The server comes up before the first-start import so /health answers within a second or two
  // ("starting") even while the sample candles are loading.
  const startedAt = systemClock.now();
  const app = createWebApp({ engine, store, bus, clock: systemClock, metrics, version: VERSION, startedAt });
  const server = await listen(app.fetch, env.HOST, env.PORT);
  log.info({ url: `http://${env.HOST}:${env.PORT}` }, "web server listening (GET /health, GET /metrics)");

  await engine.start();
  const services = createCoreServices({
    engine,
    store,
    db: store.db,
    bus,
    clock: systemClock,
    plugins: plugins.registry,
    cacheDir,
    pluginRoots: [path.resolve("plugins")],
    risk: config.risk,
  });
  const telegram = startTelegramFromEnv(env, { services, store, bus, clock: systemClock, log });
  const notifier = telegram?.notifier;
  const stopDailySummary = notifier
    ? scheduleDailySummary({ services, deliver: (notice) => notifier.deliver(notice), log })
    : undefined;
  if (!env.DISCORD_TOKEN) log.info("DISCORD_TOKEN is not set: the Discord bot is off");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      await closeServer(server);
      stopDailySummary?.();
      await telegram?.stop();
      await engine.stop();
      await bus.close();
      await store.close();
      log.info("stopped cleanly");
      flushAndExit(log, 0);
    } catch (error) {
      log.error({ err: error }, "shutdown failed");
      flushAndExit(log, 1);
    }
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

type Server = ReturnType<typeof serve>;

function listen(fetch: Parameters<typeof serve>[0]["fetch"], hostname: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${port} on ${hostname} is in use (set PORT to another port)`)
          : error,
      );
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open; nothing we serve is worth waiting for.
    if ("closeAllConnections" in server) (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  });
}

function flushAndExit(log: Logger, code: number): void {
  log.flush(() => process.exit(code));
}
