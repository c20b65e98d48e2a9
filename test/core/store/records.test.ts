import { describe, expect, it } from "vitest";
import { findAccount, listAccounts, saveAccount } from "../../../core/store/repositories/accounts.ts";
import { appendAudit, listAudit } from "../../../core/store/repositories/audit.ts";
import {
  type BacktestRecord,
  deleteBacktestResult,
  findBacktestIds,
  findBacktestResult,
  listBacktestResults,
  saveBacktestResult,
} from "../../../core/store/repositories/backtests.ts";
import {
  deleteCredential,
  findCredential,
  insertCredential,
  listCredentials,
} from "../../../core/store/repositories/credentials.ts";
import { findModel, listModels, registerModel, setModelStatus } from "../../../core/store/repositories/models.ts";
import { findSubscription, listSubscribers, saveSubscription } from "../../../core/store/repositories/notifications.ts";
import {
  deleteInstalledPlugin,
  findInstalledPlugin,
  listInstalledPlugins,
  saveInstalledPlugin,
  setPluginEnabled,
} from "../../../core/store/repositories/plugins.ts";
import { DIALECTS, useMigratedStore } from "../../helpers/db.ts";

const T0 = 1_700_000_000_000;

function backtest(overrides: Partial<BacktestRecord> = {}): BacktestRecord {
  return {
    id: "bt-1",
    pluginId: "sma-cross",
    pluginVersion: "1.0.0",
    codeHash: "c0de",
    params: { fast: 10, slow: 30 },
    symbols: ["BTC/USDT"],
    timeframe: "1h",
    from: T0,
    to: T0 + 86_400_000,
    settings: { cash: 10_000, fee: 0.1, fill: "next-open" },
    engineVersion: "0.1.0",
    metrics: { totalReturn: 0.1234, sharpe: 1.5 },
    result: { trades: [{ entry: 1, exit: 2 }], equity: [10_000, 10_050.5] },
    createdAt: T0,
    ...overrides,
  };
}

describe.each(DIALECTS)("credentials, backtests, audit, registry on %s", (dialect) => {
  const store = useMigratedStore(dialect, "records");

  it("stores credentials as given and lists them without secret material", async () => {
    const db = store().db;
    const cred = {
      name: "binance-main",
      exchange: "binance",
      ciphertext: "q8Zt…base64",
      iv: "aXYxMjM0NTY3ODkw",
      authTag: "dGFnMTIzNDU2Nzg5MDEy",
      keyHint: "abcd…wxyz",
      createdAt: T0,
    };
    expect(await insertCredential(db, cred)).toBe(true);
    expect(await insertCredential(db, { ...cred, ciphertext: "other" })).toBe(false);
    expect(await findCredential(db, "binance-main")).toEqual(cred);
    const listed = await listCredentials(db);
    expect(listed).toEqual([{ name: "binance-main", exchange: "binance", keyHint: "abcd…wxyz", createdAt: T0 }]);
    expect(JSON.stringify(listed)).not.toContain(cred.ciphertext);
    expect(await deleteCredential(db, "binance-main")).toBe(true);
    expect(await findCredential(db, "binance-main")).toBeUndefined();
  });

  it("stores a backtest once and lists summaries without the result", async () => {
    const db = store().db;
    expect(await saveBacktestResult(db, backtest())).toBe(true);
    expect(await saveBacktestResult(db, backtest({ metrics: { totalReturn: -1 } }))).toBe(false);
    expect(await findBacktestResult(db, "bt-1")).toEqual(backtest());
    const [summary] = await listBacktestResults(db, { pluginId: "sma-cross" });
    expect(summary).not.toHaveProperty("result");
    const { result: _result, ...expected } = backtest();
    expect(summary).toEqual(expected);
    expect(await deleteBacktestResult(db, "bt-1")).toBe(true);
    expect(await findBacktestResult(db, "bt-1")).toBeUndefined();
  });

  it("finds backtests by whole symbol, wherever it stands in a multi-symbol run", async () => {
    const db = store().db;
    await saveBacktestResult(db, backtest({ id: "s1", pluginId: "haa", symbols: ["ETH/USDT"], createdAt: T0 + 1 }));
    await saveBacktestResult(
      db,
      backtest({ id: "s2", pluginId: "haa", symbols: ["BTC/USDT", "ETH/USDT", "SOL/USDT"], createdAt: T0 + 2 }),
    );
    await saveBacktestResult(db, backtest({ id: "s3", pluginId: "haa", symbols: ["ETH/USDTX"], createdAt: T0 + 3 }));
    await saveBacktestResult(db, backtest({ id: "s4", pluginId: "haa", symbols: ["ETH_USDT"], createdAt: T0 + 4 }));
    const ids = async (symbol: string) => (await listBacktestResults(db, { pluginId: "haa", symbol })).map((b) => b.id);
    expect(await ids("ETH/USDT")).toEqual(["s2", "s1"]);
    expect(await ids("SOL/USDT")).toEqual(["s2"]);
    expect(await ids("ETH_USDT")).toEqual(["s4"]);
    expect(await ids("ETH%")).toEqual([]);
    expect((await listBacktestResults(db, { pluginId: "haa", limit: 1 })).map((b) => b.symbols)).toEqual([
      ["ETH_USDT"],
    ]);
  });

  it("finds backtest ids by their first digits: one, several (up to the limit) or none", async () => {
    const db = store().db;
    for (const id of ["abc123ff", "abc124ee", "abd000aa", "a_c999"]) await saveBacktestResult(db, backtest({ id }));
    expect(await findBacktestIds(db, "abc123")).toEqual(["abc123ff"]);
    expect(await findBacktestIds(db, "abc12")).toEqual(["abc123ff", "abc124ee"]);
    expect(await findBacktestIds(db, "ab", 3)).toEqual(["abc123ff", "abc124ee", "abd000aa"]);
    expect(await findBacktestIds(db, "fff")).toEqual([]);
    // A LIKE wildcard in the prefix is a character like any other.
    expect(await findBacktestIds(db, "a_c")).toEqual(["a_c999"]);
  });

  it("appends audit entries in order and filters them", async () => {
    const db = store().db;
    const a = await appendAudit(db, { time: T0, actor: "telegram:7", action: "halt", outcome: "denied" });
    const b = await appendAudit(db, {
      time: T0,
      actor: "telegram:1",
      action: "grant",
      target: "telegram:7",
      detail: { role: "trader" },
      outcome: "ok",
    });
    expect(b).toBeGreaterThan(a);
    expect(await listAudit(db, { since: T0 })).toEqual([
      {
        id: b,
        time: T0,
        actor: "telegram:1",
        action: "grant",
        target: "telegram:7",
        detail: { role: "trader" },
        outcome: "ok",
      },
      { id: a, time: T0, actor: "telegram:7", action: "halt", outcome: "denied" },
    ]);
    expect((await listAudit(db, { outcome: "denied" })).map((e) => e.id)).toEqual([a]);
    expect((await listAudit(db, { actor: "telegram:1", action: "grant" })).map((e) => e.id)).toEqual([b]);
  });

  it("saves accounts, keeping the first created_at", async () => {
    const db = store().db;
    const account = {
      id: "paper",
      exchange: "binance",
      mode: "paper" as const,
      config: { balances: { USDT: 10_000 } },
      createdAt: T0,
      updatedAt: T0,
    };
    await saveAccount(db, account);
    await saveAccount(db, { ...account, config: { balances: { USDT: 5_000 } }, createdAt: T0 + 9, updatedAt: T0 + 9 });
    expect(await findAccount(db, "paper")).toEqual({
      ...account,
      config: { balances: { USDT: 5_000 } },
      updatedAt: T0 + 9,
    });
    expect((await listAccounts(db)).map((a) => a.id)).toEqual(["paper"]);
  });

  it("records installed plugins and their enabled flag", async () => {
    const db = store().db;
    const plugin = {
      id: "grid",
      version: "1.2.0",
      source: "builtin",
      sha256: "ab".repeat(32),
      manifest: { id: "grid" },
      installedAt: T0,
      enabled: true,
    };
    await saveInstalledPlugin(db, plugin);
    await saveInstalledPlugin(db, { ...plugin, version: "1.3.0", installedAt: T0 + 1 });
    expect(await findInstalledPlugin(db, "grid", "1.2.0")).toEqual(plugin);
    expect(await setPluginEnabled(db, "grid", "1.2.0", false)).toBe(true);
    expect((await findInstalledPlugin(db, "grid", "1.2.0"))?.enabled).toBe(false);
    expect((await listInstalledPlugins(db, { id: "grid" })).map((p) => [p.version, p.enabled])).toEqual([
      ["1.2.0", false],
      ["1.3.0", true],
    ]);
    expect(await deleteInstalledPlugin(db, "grid", "1.2.0")).toBe(true);
    expect(await findInstalledPlugin(db, "grid", "1.2.0")).toBeUndefined();
  });

  it("registers model versions once and changes their status", async () => {
    const db = store().db;
    const model = {
      name: "btc-dir",
      version: "1",
      path: "var/models/btc-dir-1.onnx",
      metrics: { auc: 0.61 },
      status: "shadow" as const,
      createdAt: T0,
    };
    expect(await registerModel(db, model)).toBe(true);
    expect(await registerModel(db, { ...model, path: "elsewhere" })).toBe(false);
    expect(await setModelStatus(db, "btc-dir", "1", "active")).toBe(true);
    expect(await findModel(db, "btc-dir", "1")).toEqual({ ...model, status: "active" });
    expect((await listModels(db, { status: "active" })).map((m) => m.version)).toEqual(["1"]);
    expect(await setModelStatus(db, "btc-dir", "2", "active")).toBe(false);
  });

  it("keeps notification subscriptions and finds the chats that want a kind", async () => {
    const db = store().db;
    await saveSubscription(db, { platform: "telegram", chatId: "1", enabled: true, kinds: ["*"], updatedAt: T0 });
    await saveSubscription(db, { platform: "telegram", chatId: "2", enabled: true, kinds: ["fill"], updatedAt: T0 });
    await saveSubscription(db, { platform: "discord", chatId: "3", enabled: false, kinds: ["*"], updatedAt: T0 });
    await saveSubscription(db, {
      platform: "telegram",
      chatId: "2",
      enabled: true,
      kinds: ["fill", "risk"],
      updatedAt: T0 + 1,
    });
    expect((await listSubscribers(db, "risk")).map((s) => s.chatId)).toEqual(["1", "2"]);
    expect((await listSubscribers(db, "daily")).map((s) => s.chatId)).toEqual(["1"]);
    expect(await findSubscription(db, "discord", "3")).toEqual({
      platform: "discord",
      chatId: "3",
      enabled: false,
      kinds: ["*"],
      updatedAt: T0,
    });
  });
});
