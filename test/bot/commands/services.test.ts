import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoreServices } from "../../../bot/commands/services/core-services.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import { PluginRegistry } from "../../../core/plugins/registry.ts";
import { saveInstalledPlugin } from "../../../core/store/repositories/plugins.ts";
import { getTradingState } from "../../../core/store/repositories/trading-state.ts";
import { SMALL_ENGINE, startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { T0 } from "../harness.ts";

describe("CoreServices over a real engine", () => {
  let t: TestEngine;
  const clock = new SimulatedClock(T0);
  const core = () => ({ engine: t.engine, db: t.store.db, bus: t.bus, clock });
  beforeAll(async () => {
    t = await startTestEngine(SMALL_ENGINE);
  }, 120_000);
  afterAll(async () => t?.close());

  it("lists the plugins core's registry discovers, with the store's enabled flag", async () => {
    const { registry, problems } = PluginRegistry.discover(["plugins"]);
    expect(problems).toEqual([]);
    const sma = registry.get("sma-cross")!;
    await saveInstalledPlugin(t.store.db, {
      id: "sma-cross",
      version: sma.manifest.version,
      source: "builtin",
      sha256: sma.sha256,
      manifest: sma.manifest,
      installedAt: T0,
      enabled: false,
    });
    const services = createCoreServices({ ...core(), plugins: registry });
    const plugins = await services.listPlugins!();
    expect(plugins.map((p) => p.id)).toEqual(registry.list().map((p) => p.manifest.id));
    expect(plugins.find((p) => p.id === "sma-cross")).toMatchObject({ name: "SMA crossover", enabled: false });
    expect(plugins.find((p) => p.id === "grid")?.enabled).toBe(true);
  });

  it("leaves /plugins unavailable without a registry", () => {
    expect(createCoreServices(core()).listPlugins).toBeUndefined();
  });

  it("switches the trading state once, publishing only real changes", async () => {
    const events: unknown[] = [];
    t.bus.subscribe("trading.state", (e) => {
      events.push(e);
    });
    const services = createCoreServices(core());
    expect(await services.setTradingState!("REDUCING", "drawdown", "telegram:1")).toEqual({
      previous: "ACTIVE",
      state: "REDUCING",
      changed: true,
    });
    expect(await services.setTradingState!("REDUCING", "again", "telegram:1")).toMatchObject({ changed: false });
    await t.bus.drain();
    expect(events).toEqual([{ state: "REDUCING", reason: "drawdown", by: "telegram:1" }]);
    expect(await getTradingState(t.store.db)).toMatchObject({ state: "REDUCING", reason: "drawdown", changedAt: T0 });
    expect((await services.status()).trading).toMatchObject({ state: "REDUCING", changedBy: "telegram:1" });
  });
});
