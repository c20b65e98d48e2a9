import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findStrategyInstance } from "../../../core/store/repositories/strategy-instances.ts";
import { saveParamOverride } from "../../../core/wiring/param-overrides.ts";
import { startTestEngine, type TestEngine, TWO_STRATEGIES } from "../engine-fixture.ts";
import { type Harness, onlyMessage, plain, startHarness } from "../harness.ts";

const TRADER = 2;
// The same strategies after a restart, with a replay that starts past the stored data: no trading,
// only the start-up the test is about.
const IDLE = TWO_STRATEGIES.replace("loop: false }", 'loop: false, from: "2030-01-01" }');

describe("what /set and /stop mean across an engine restart", () => {
  let t: TestEngine;
  let h: Harness | undefined;
  const bot = async () => {
    await h?.close();
    h = await startHarness({
      roles: { [TRADER]: "trader" },
      engine: t,
    });
    return h;
  };
  beforeAll(async () => {
    t = await startTestEngine({ candles: 100 });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  const running = (id: string) => t.engine.strategies().find((s) => s.config.id === id)!.config.params;

  it("a param set in chat runs after the restart; a stopped strategy runs again", async () => {
    const before = await bot();
    expect(plain(onlyMessage(await before.say(TRADER, "/set btc-fast-cross fast=5")))).toMatch(
      /^Saved: btc-fast-cross fast = 5\./,
    );
    await before.say(TRADER, "/stop eth-cross");
    expect(running("btc-fast-cross").fast).toBe(3);

    await t.restart(IDLE);
    const after = await bot();
    expect(running("btc-fast-cross")).toMatchObject({ fast: 5, slow: 8 });
    // Running now, so nothing waits for a restart any more; the override stays stored for the next one.
    expect(plain(onlyMessage(await after.say(TRADER, "/strategy btc-fast-cross")))).toMatch(/fast\s+5\n\s*slow\s+8\n/);
    const config = (await findStrategyInstance(t.store.db, "btc-fast-cross"))!.config as Record<string, unknown>;
    expect(config.paramOverrides).toEqual({ fast: 5 });
    expect(plain(onlyMessage(await after.say(TRADER, "/strategies")))).toMatch(/eth-cross\s+sma-cross\s+running/);
  }, 60_000);

  it("an override the plugin no longer accepts is dropped at start, and the engine starts anyway", async () => {
    await saveParamOverride(t.store.db, "btc-fast-cross", "fast", 9_999, Date.now());
    await t.restart(IDLE);
    expect(t.engine.status().state).toBe("running");
    expect(running("btc-fast-cross").fast).toBe(3);
    const config = (await findStrategyInstance(t.store.db, "btc-fast-cross"))!.config as Record<string, unknown>;
    expect(config.paramOverrides).toBeUndefined();
  }, 60_000);
});
