import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../../core/store/repositories/audit.ts";
import { findSubscription } from "../../../core/store/repositories/notifications.ts";
import { saveInstalledPlugin } from "../../../core/store/repositories/plugins.ts";
import { listPositions } from "../../../core/store/repositories/positions.ts";
import { listRoles } from "../../../core/store/repositories/roles.ts";
import { getTradingState } from "../../../core/store/repositories/trading-state.ts";
import { findUserByIdentity } from "../../../core/store/repositories/users.ts";
import { SMALL_ENGINE } from "../engine-fixture.ts";
import { buttonsOf, type Harness, onlyMessage, plain, startHarness, T0, textOf } from "../harness.ts";

const ADMIN = 1;
const TRADER = 2;
const VIEWER = 3;

/** "2023-11-14 22:13": a time as the replies show it, to the minute in UTC. */
const utcMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/** A number as a reply shows it ("+1,234.5"), back to a number. */
const numberIn = (shown: string) => Number(shown.replace(/,/g, ""));

const literal = (text: string) => text.replace(/[/.+*?()[\]]/g, "\\$&");

describe("every built command, round trip through grammY and the fake Bot API", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      roles: { [ADMIN]: "admin", [TRADER]: "trader", [VIEWER]: "viewer" },
      admins: [ADMIN],
    });
  }, 120_000);
  afterAll(async () => h?.close());

  it("logs one line when it starts and registers its menus in English and Korean", () => {
    expect(h.logs.filter((l) => l.msg === "Telegram bot started as @quantchat_test_bot")).toHaveLength(1);
    const everyone = h.fake.menus.get("default/*")!.map((c) => c.command);
    expect(everyone).toEqual([
      ...["start", "help", "status", "balance", "positions", "orders", "trades", "pnl", "daily", "performance"],
      ...["strategies", "strategy", "chart", "risk", "plugins", "notify", "whoami", "lang"],
      ...["run", "stop", "set", "backtest", "buy", "sell", "close"],
    ]);
    expect(h.fake.menus.get("default/ko")!.find((c) => c.command === "status")?.description).toBe(
      "엔진, 거래 상태, 전략, 보유 포지션",
    );
    // The seeded admin's own chat lists the admin commands too.
    expect(h.fake.menus.get(`chat:${ADMIN}/*`)!.map((c) => c.command)).toContain("halt");
    expect(h.fake.menus.get(`chat:${ADMIN}/ko`)!.map((c) => c.command)).toContain("grant");
  });

  it("/start welcomes by name and lists what the role allows", async () => {
    const text = plain(onlyMessage(await h.say(VIEWER, "/start", { firstName: "Vera" })));
    expect(text).toContain("Welcome to quantchat, Vera.");
    expect(text).toContain("Your role: viewer.");
    expect(text).toContain("/status — Engine, trading state, strategies and open positions");
    expect(text).not.toContain("/grant");
    expect(text).not.toContain("/halt");
  });

  it("/help lists admin commands for an admin only", async () => {
    const admin = plain(onlyMessage(await h.say(ADMIN, "/help")));
    expect(admin).toContain("/grant <user id|@username> <viewer|trader|admin> — Give a user a role");
    expect(admin).toContain("/halt [reason]");
    const trader = plain(onlyMessage(await h.say(TRADER, "/help")));
    expect(trader).toContain("/notify");
    expect(trader).not.toContain("/revoke");
  });

  it("/whoami shows identity, role and language in a table", async () => {
    const message = onlyMessage(await h.say(TRADER, "/whoami", { firstName: "Tom", username: "tom_t" }));
    expect(message.payload.text).toContain("<pre>");
    const text = plain(message);
    expect(text).toMatch(/Platform\s+telegram/);
    expect(text).toMatch(/User id\s+2/);
    expect(text).toMatch(/Chat id\s+2/);
    expect(text).toMatch(/Role\s+trader/);
    expect(text).toMatch(/Language\s+English/);
  });

  it("/lang shows the language, and /lang ko stores Korean and answers in it", async () => {
    const user = 30;
    await h.say(ADMIN, `/grant ${user} viewer`);
    expect(plain(onlyMessage(await h.say(user, "/lang")))).toBe(
      "Your language is English. Change it with /lang en or /lang ko.",
    );
    expect(plain(onlyMessage(await h.say(user, "/lang ko")))).toBe("언어를 바꿨습니다: 한국어");
    const stored = await findUserByIdentity(h.store.db, { platform: "telegram", platformUserId: String(user) });
    expect(stored?.language).toBe("ko");
    expect(plain(onlyMessage(await h.say(user, "/lang EN")))).toBe("Language set to English.");
  });

  it("/grant gives a role by @handle or id, and says so when it is already held", async () => {
    await h.say(40, "hello", { username: "newbie" }); // first contact: the store learns @newbie
    expect(plain(onlyMessage(await h.say(ADMIN, "/grant @newbie trader")))).toBe("@newbie now has the trader role.");
    expect(plain(onlyMessage(await h.say(ADMIN, "/grant @NEWBIE Trader")))).toBe(
      "@NEWBIE already has the trader role.",
    );
    const user = await findUserByIdentity(h.store.db, { platform: "telegram", platformUserId: "40" });
    expect((await listRoles(h.store.db, user!.id)).map((g) => [g.role, g.grantedBy])).toEqual([
      ["trader", `telegram:${ADMIN}`],
    ]);
    // Now the new trader may use the bot.
    expect(plain(onlyMessage(await h.say(40, "/whoami")))).toMatch(/Role\s+trader/);
    // A numeric id that never wrote can be granted ahead of time.
    expect(plain(onlyMessage(await h.say(ADMIN, "/grant 41 viewer")))).toBe("41 now has the viewer role.");
    expect(plain(onlyMessage(await h.say(41, "/whoami")))).toMatch(/Role\s+viewer/);
    expect(plain(onlyMessage(await h.say(ADMIN, "/grant @nobody_here viewer")))).toContain(
      "No user @nobody_here is known here.",
    );
    const audits = await listAudit(h.store.db, { action: "grant", actor: `telegram:${ADMIN}` });
    expect(audits.some((a) => a.outcome === "ok" && JSON.stringify(a.detail).includes("@newbie"))).toBe(true);
  });

  it("/revoke takes one role or all of them, but not the caller's own admin role", async () => {
    await h.say(ADMIN, "/grant 50 trader");
    await h.say(ADMIN, "/grant 50 viewer");
    expect(plain(onlyMessage(await h.say(ADMIN, "/revoke 50 trader")))).toBe("Removed from 50: trader.");
    expect(plain(onlyMessage(await h.say(50, "/whoami")))).toMatch(/Role\s+viewer/);
    expect(plain(onlyMessage(await h.say(ADMIN, "/revoke 50")))).toBe("Removed from 50: viewer.");
    expect(plain(onlyMessage(await h.say(50, "/whoami")))).toBe("You are not allowed to use this bot.");
    expect(plain(onlyMessage(await h.say(ADMIN, "/revoke 50")))).toBe("50 has no such role.");
    expect(plain(onlyMessage(await h.say(ADMIN, "/revoke 999999")))).toContain("No user 999999 is known here.");
    expect(plain(onlyMessage(await h.say(ADMIN, `/revoke ${ADMIN}`)))).toBe(
      "You cannot remove your own admin role. Ask another admin.",
    );
    expect(plain(onlyMessage(await h.say(ADMIN, "/whoami")))).toMatch(/Role\s+admin/);
  });

  it("/status shows engine, feed, trading state, strategies and positions, with a Refresh button", async () => {
    const engine = h.engine.engine.status();
    const open = engine.accounts.flatMap((a) => a.positions);
    const stored = await listPositions(h.store.db);
    expect(engine.strategies).toHaveLength(2);
    expect(open.length).toBeGreaterThan(0);

    const message = onlyMessage(await h.say(VIEWER, "/status"));
    const text = plain(message);
    expect(text).toContain(`Engine: running since ${utcMinute(engine.startedAt!)} UTC`);
    // The engine replayed 60 candles of each of its two series (BTC/USDT and ETH/USDT 1h).
    expect(text).toContain(`Feed: replay, 2 series, ${SMALL_ENGINE.candles * 2} candles published`);
    expect(text).toContain("Trading: ACTIVE");
    for (const strategy of engine.strategies) {
      // Realised PnL (the ledger keeps it net of fees) plus the unrealised PnL of what is still open.
      const mine = <T extends { strategyId: string }>(rows: readonly T[]) =>
        rows.filter((r) => r.strategyId === strategy.id);
      const pnl =
        mine(stored).reduce((sum, p) => sum + p.realizedPnl, 0) +
        mine(open).reduce((sum, p) => sum + (p.unrealizedPnl ?? 0), 0);
      const row = new RegExp(`${strategy.id}\\s+sma-cross\\s+running\\s+([+-]?[\\d,.]+)`).exec(text);
      expect(row, strategy.id).not.toBeNull();
      expect(numberIn(row![1]!)).toBeCloseTo(pnl, 1);
    }
    for (const p of open) {
      const row = new RegExp(
        `${p.strategyId}\\s+${literal(p.symbol)}\\s+([\\d,.]+)\\s+([\\d,.]+)\\s+([+-]?[\\d,.]+)`,
      ).exec(text);
      expect(row, `${p.strategyId} ${p.symbol}`).not.toBeNull();
      expect(numberIn(row![1]!)).toBeCloseTo(p.quantity, 7);
      expect(numberIn(row![2]!)).toBeCloseTo(p.entryPrice, 1);
      expect(numberIn(row![3]!)).toBeCloseTo(p.unrealizedPnl!, 1);
    }
    expect(buttonsOf(message)).toEqual([{ text: "Refresh", callback_data: "c|/status" }]);

    // Refresh edits the same message in place; nothing changed, so Telegram's "not modified" is swallowed.
    const refreshed = await h.press(VIEWER, message, "Refresh");
    const edits = refreshed.filter((c) => c.method === "editMessageText");
    expect(edits).toHaveLength(1);
    expect(edits[0]!.payload.message_id).toBe(message.result.message_id);
    expect(refreshed.filter((c) => c.method === "sendMessage")).toHaveLength(0);
    expect(refreshed.some((c) => c.method === "answerCallbackQuery" && c.ok)).toBe(true);
  });

  it("/plugins lists the engine's plugins, with the enabled flag the store keeps", async () => {
    const grid = h.engine.registry.list().find((p) => p.manifest.id === "grid")!;
    await saveInstalledPlugin(h.store.db, {
      id: "grid",
      version: grid.manifest.version,
      source: "builtin",
      sha256: grid.sha256,
      manifest: grid.manifest,
      installedAt: T0,
      enabled: false,
    });
    const text = plain(onlyMessage(await h.say(VIEWER, "/plugins")));
    for (const { manifest } of h.engine.registry.list()) {
      const state = manifest.id === "grid" ? "disabled" : "enabled";
      expect(text).toMatch(new RegExp(`${manifest.id}\\s+${literal(manifest.version)}\\s+${state}`));
    }
  });

  it("/notify shows, sets and pauses this chat's subscription", async () => {
    const db = h.store.db;
    expect(plain(onlyMessage(await h.say(VIEWER, "/notify")))).toBe("Notifications are off for this chat.");
    expect(plain(onlyMessage(await h.say(VIEWER, "/notify on")))).toBe("Notifications are on for this chat: all.");
    expect(await findSubscription(db, "telegram", String(VIEWER))).toMatchObject({ enabled: true, kinds: ["*"] });
    expect(plain(onlyMessage(await h.say(VIEWER, "/notify fills,risk state")))).toBe(
      "Notifications are on for this chat: fills, risk, state.",
    );
    expect(await findSubscription(db, "telegram", String(VIEWER))).toMatchObject({
      enabled: true,
      kinds: ["fills", "risk", "state"],
    });
    expect(plain(onlyMessage(await h.say(VIEWER, "/notify off")))).toBe("Notifications are off for this chat.");
    expect(await findSubscription(db, "telegram", String(VIEWER))).toMatchObject({
      enabled: false,
      kinds: ["fills", "risk", "state"],
    });
    expect(plain(onlyMessage(await h.say(VIEWER, "/notify candles")))).toContain("Usage: /notify");
  });

  it("/halt asks first, then halts, writes the store, publishes trading.state and audits", async () => {
    const events: unknown[] = [];
    const unsubscribe = h.bus.subscribe("trading.state", (e) => {
      events.push(e);
    });
    const question = onlyMessage(await h.say(ADMIN, "/halt exchange is flaky"));
    expect(plain(question)).toBe("Halt all trading? No new orders will be sent until /resume.");
    expect(buttonsOf(question).map((b) => b.text)).toEqual(["Confirm", "Cancel"]);
    expect((await getTradingState(h.store.db))?.state ?? "ACTIVE").toBe("ACTIVE");

    const done = await h.press(ADMIN, question, "Confirm");
    const edit = onlyMessage(done);
    expect(edit.method).toBe("editMessageText");
    expect(plain(edit)).toBe("Trading state is now HALTED.");
    expect(buttonsOf(edit)).toEqual([]); // the question's buttons are gone
    expect(await getTradingState(h.store.db)).toMatchObject({
      state: "HALTED",
      reason: "exchange is flaky",
      changedBy: `telegram:${ADMIN}`,
    });
    await h.bus.drain();
    expect(events).toEqual([{ state: "HALTED", reason: "exchange is flaky", by: `telegram:${ADMIN}` }]);
    const audits = await listAudit(h.store.db, { action: "halt" });
    expect(audits.map((a) => a.outcome)).toEqual(["ok"]);
    expect(plain(onlyMessage(await h.say(VIEWER, "/status")))).toContain(
      `Trading: HALTED (exchange is flaky, by telegram:${ADMIN})`,
    );
    unsubscribe();
  });

  it("/reduce and /resume switch the state through the same confirmation", async () => {
    const reduce = onlyMessage(await h.say(ADMIN, "/reduce"));
    expect(plain(onlyMessage(await h.press(ADMIN, reduce, "Confirm")))).toBe(
      "Trading state is now REDUCING (exits only).",
    );
    expect((await getTradingState(h.store.db))?.reason).toBe("manual /reduce");
    const resume = onlyMessage(await h.say(ADMIN, "/resume"));
    expect(plain(onlyMessage(await h.press(ADMIN, resume, "Confirm")))).toBe("Trading state is now ACTIVE.");
    const again = onlyMessage(await h.say(ADMIN, "/resume"));
    expect(plain(onlyMessage(await h.press(ADMIN, again, "Confirm")))).toBe("Trading state is already ACTIVE.");
    expect((await getTradingState(h.store.db))?.state).toBe("ACTIVE");
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
    expect(textOf(h.fake.sent)).not.toContain("Something went wrong");
  });
});
