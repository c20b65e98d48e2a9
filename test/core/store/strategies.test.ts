import { describe, expect, it } from "vitest";
import {
  findStrategyInstance,
  listStrategyInstances,
  recordInstanceFailure,
  saveStrategyInstance,
  setInstanceState,
} from "../../../core/store/repositories/strategy-instances.ts";
import {
  deleteStrategyStateValue,
  loadStrategyState,
  replaceStrategyState,
  setStrategyStateValue,
  strategyStateSize,
} from "../../../core/store/repositories/strategy-state.ts";
import { DIALECTS, useMigratedStore } from "../../helpers/db.ts";

const T0 = 1_700_000_000_000;
const config = { symbols: ["BTC/USDT"], timeframe: "1h", params: { fast: 10, slow: 30 }, allocation: 0.2 };

describe.each(DIALECTS)("strategy instances and state on %s", (dialect) => {
  const store = useMigratedStore(dialect, "strategies");

  it("saves an instance as ready, then updates its config but not its state", async () => {
    const db = store().db;
    const base = {
      id: "sma-1",
      pluginId: "sma-cross",
      pluginVersion: "1.0.0",
      accountId: "paper",
      config,
      updatedAt: T0,
    };
    await saveStrategyInstance(db, base);
    expect(await findStrategyInstance(db, "sma-1")).toEqual({ ...base, state: "ready", failureCount: 0 });

    expect(
      await setInstanceState(db, "sma-1", { state: "disabled", reason: "failed 3 times", updatedAt: T0 + 1 }),
    ).toBe(true);
    await saveStrategyInstance(db, {
      ...base,
      pluginVersion: "1.1.0",
      config: { ...config, allocation: 0.3 },
      updatedAt: T0 + 2,
    });
    expect(await findStrategyInstance(db, "sma-1")).toEqual({
      ...base,
      pluginVersion: "1.1.0",
      config: { ...config, allocation: 0.3 },
      updatedAt: T0 + 2,
      state: "disabled",
      stateReason: "failed 3 times",
      failureCount: 0,
    });
    expect(await setInstanceState(db, "nope", { state: "running", updatedAt: T0 })).toBe(false);
  });

  it("counts failures and resets them when an operator re-enables the instance", async () => {
    const db = store().db;
    await saveStrategyInstance(db, {
      id: "flaky",
      pluginId: "p",
      pluginVersion: "1.0.0",
      accountId: "paper",
      config: {},
      updatedAt: T0,
    });
    expect(await recordInstanceFailure(db, "flaky", "CPU limit exceeded", T0 + 1)).toBe(1);
    expect(await recordInstanceFailure(db, "flaky", "out of memory", T0 + 2)).toBe(2);
    expect(await findStrategyInstance(db, "flaky")).toMatchObject({
      state: "failed",
      stateReason: "out of memory",
      failureCount: 2,
    });
    expect(await recordInstanceFailure(db, "ghost", "x", T0)).toBeUndefined();
    await setInstanceState(db, "flaky", { state: "ready", resetFailures: true, updatedAt: T0 + 3 });
    const after = await findStrategyInstance(db, "flaky");
    expect(after).toMatchObject({ state: "ready", failureCount: 0 });
    expect(after).not.toHaveProperty("stateReason");
  });

  it("lists instances by account and state", async () => {
    const db = store().db;
    for (const id of ["ls-b", "ls-a"]) {
      await saveStrategyInstance(db, {
        id,
        pluginId: "p",
        pluginVersion: "1.0.0",
        accountId: "acct-ls",
        config: {},
        updatedAt: T0,
      });
    }
    await setInstanceState(db, "ls-b", { state: "running", updatedAt: T0 });
    expect((await listStrategyInstances(db, { accountId: "acct-ls" })).map((s) => s.id)).toEqual(["ls-a", "ls-b"]);
    expect((await listStrategyInstances(db, { accountId: "acct-ls", state: "running" })).map((s) => s.id)).toEqual([
      "ls-b",
    ]);
  });

  it("keeps a plugin's key-value state, key by key and whole", async () => {
    const db = store().db;
    expect(await loadStrategyState(db, "kv")).toEqual({});
    await setStrategyStateValue(db, "kv", "lastCross", T0, T0);
    await setStrategyStateValue(db, "kv", "levels", [1.5, 2.5], T0);
    await setStrategyStateValue(db, "kv", "lastCross", T0 + 1, T0 + 1);
    expect({ ...(await loadStrategyState(db, "kv")) }).toEqual({ lastCross: T0 + 1, levels: [1.5, 2.5] });
    expect(await deleteStrategyStateValue(db, "kv", "levels")).toBe(true);
    expect(await deleteStrategyStateValue(db, "kv", "levels")).toBe(false);

    // Replacing drops the keys the new state does not have.
    await replaceStrategyState(db, "kv", { grid: { step: 0.5 }, count: 3 }, T0 + 2);
    expect({ ...(await loadStrategyState(db, "kv")) }).toEqual({ count: 3, grid: { step: 0.5 } });
    await replaceStrategyState(db, "kv", {}, T0 + 3);
    expect(await strategyStateSize(db, "kv")).toBe(0);
  });

  it("keeps a key named __proto__ as a plain key", async () => {
    const db = store().db;
    await setStrategyStateValue(db, "proto", "__proto__", { polluted: true }, T0);
    const state = await loadStrategyState(db, "proto");
    expect(Object.keys(state)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("measures the state's size for the caller's cap, and refuses what JSON cannot hold", async () => {
    const db = store().db;
    expect(await strategyStateSize(db, "size")).toBe(0);
    await setStrategyStateValue(db, "size", "k", "abc", T0); // 1 + '"abc"'.length
    await setStrategyStateValue(db, "size", "kk", 12345, T0); // 2 + 5
    expect(await strategyStateSize(db, "size")).toBe(13);
    await expect(setStrategyStateValue(db, "size", "f", () => 1, T0)).rejects.toThrow(/not JSON/);
  });
});
