import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoreServices } from "../../../bot/commands/services/core-services.ts";
import { MemoryBus } from "../../../core/bus/index.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import { PluginRegistry } from "../../../core/plugins/registry.ts";
import type { Store } from "../../../core/store/database.ts";
import { migrateToLatest } from "../../../core/store/migrate.ts";
import { saveInstalledPlugin } from "../../../core/store/repositories/plugins.ts";
import { getTradingState } from "../../../core/store/repositories/trading-state.ts";
import { openTestStore, type TestStore } from "../../helpers/db.ts";
import { stubEngine, T0 } from "../harness.ts";

describe("CoreServices over today's core", () => {
  let opened: TestStore;
  let store: Store;
  const bus = new MemoryBus();
  const clock = new SimulatedClock(T0);
  beforeAll(async () => {
    opened = await openTestStore("sqlite", "services");
    store = opened.store;
    await migrateToLatest(store);
  });
  afterAll(async () => opened?.cleanup());

  it("lists the plugins core's registry discovers, with the store's enabled flag", async () => {
    const { registry, problems } = PluginRegistry.discover(["plugins"]);
    expect(problems).toEqual([]);
    const sma = registry.get("sma-cross")!;
    await saveInstalledPlugin(store.db, {
      id: "sma-cross",
      version: sma.manifest.version,
      source: "builtin",
      sha256: sma.sha256,
      manifest: sma.manifest,
      installedAt: T0,
      enabled: false,
    });
    const services = createCoreServices({ engine: stubEngine, db: store.db, bus, clock, plugins: registry });
    const plugins = await services.listPlugins!();
    expect(plugins.map((p) => p.id)).toEqual(registry.list().map((p) => p.manifest.id));
    expect(plugins.find((p) => p.id === "sma-cross")).toMatchObject({ name: "SMA crossover", enabled: false });
    expect(plugins.find((p) => p.id === "grid")?.enabled).toBe(true);
  });

  it("leaves /plugins unavailable without a registry", () => {
    expect(createCoreServices({ engine: stubEngine, db: store.db, bus, clock }).listPlugins).toBeUndefined();
  });

  it("switches the trading state once, publishing only real changes", async () => {
    const events: unknown[] = [];
    bus.subscribe("trading.state", (e) => {
      events.push(e);
    });
    const services = createCoreServices({ engine: stubEngine, db: store.db, bus, clock });
    expect(await services.setTradingState!("REDUCING", "drawdown", "telegram:1")).toEqual({
      previous: "ACTIVE",
      state: "REDUCING",
      changed: true,
    });
    expect(await services.setTradingState!("REDUCING", "again", "telegram:1")).toMatchObject({ changed: false });
    await bus.drain();
    expect(events).toEqual([{ state: "REDUCING", reason: "drawdown", by: "telegram:1" }]);
    expect(await getTradingState(store.db)).toMatchObject({ state: "REDUCING", reason: "drawdown", changedAt: T0 });
    expect((await services.status()).trading).toMatchObject({ state: "REDUCING", changedBy: "telegram:1" });
  });
});
