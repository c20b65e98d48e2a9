import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listAudit } from "../../../core/store/repositories/audit.ts";
import { listFills } from "../../../core/store/repositories/fills.ts";
import { findStrategyInstance } from "../../../core/store/repositories/strategy-instances.ts";
import { startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { buttonsOf, type Harness, onlyMessage, plain, startHarness } from "../harness.ts";

const ADMIN = 1;
const TRADER = 2;
const VIEWER = 3;
const GROUP = -4242;

// Trading from chat against a real engine: manual orders through the risk manager, /close, /run,
// /stop and /set, the confirm buttons, and the notifications a paper fill sends.
describe("trading from chat, against a real engine", () => {
  let t: TestEngine;
  let h: Harness;
  beforeAll(async () => {
    t = await startTestEngine();
    h = await startHarness({
      roles: { [ADMIN]: "admin", [TRADER]: "trader", [VIEWER]: "viewer" },
      engine: t,
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  const manual = (symbol: string) =>
    t.engine
      .accounts()
      .get("paper")!
      .trading.status()
      .positions.find((p) => p.strategyId === "manual" && p.symbol === symbol);
  const question = (calls: Awaited<ReturnType<Harness["say"]>>) => onlyMessage(calls);

  it("/buy asks first, with the price and cost, and Confirm buys through the risk manager", async () => {
    const last = t.engine.accounts().get("paper")!.paper!.lastPrice("BTC/USDT")!;
    const asked = question(await h.say(TRADER, "/buy BTC/USDT 0.01"));
    expect(plain(asked)).toMatch(
      /^Buy 0\.01 BTC\/USDT at about [\d,.]+ \(≈ [\d,.]+ USDT\) on paper\? The risk manager may resize or refuse it\.$/,
    );
    expect(buttonsOf(asked).map((b) => b.text)).toEqual(["Confirm", "Cancel"]);
    expect(manual("BTC/USDT")).toBeUndefined(); // nothing before the answer

    const answered = onlyMessage(await h.press(TRADER, asked, "Confirm"));
    expect(answered.method).toBe("editMessageText");
    expect(plain(answered)).toMatch(/^BUY 0\.01 BTC\/USDT filled at [\d,.]+ \(order filled\)\.$/);
    expect(manual("BTC/USDT")?.quantity).toBeCloseTo(0.01, 9);
    const [fill] = await listFills(t.store.db, { strategyId: "manual" });
    expect(fill?.price).toBeCloseTo(last, 6);
    const [audited] = await listAudit(t.store.db, { action: "buy" });
    expect(audited?.outcome).toBe("ok");
    expect(audited?.actor).toBe(`telegram:${TRADER}`);
  });

  it("a paper fill reaches every chat subscribed to fills, and not the others", async () => {
    await h.say(VIEWER, "/notify fills");
    await h.say(TRADER, "/notify risk", { chatId: GROUP, chatType: "group" });
    const asked = question(await h.say(TRADER, "/buy ETH/USDT 0.1"));
    const after = h.fake.sent.length;
    await h.press(TRADER, asked, "Confirm");
    const notice = await h.fake.waitFor((c) => c.method === "sendMessage" && c.payload.chat_id === VIEWER, { after });
    expect(plain(notice)).toMatch(/^Fill: BUY 0\.1 ETH\/USDT at [\d,.]+ \(manual\)$/);
    await t.bus.drain();
    expect(h.fake.messagesTo(GROUP, after)).toEqual([]);
    await h.say(VIEWER, "/notify off");
    await h.say(TRADER, "/notify off", { chatId: GROUP, chatType: "group" });
  });

  it("/sell of more than held is cut to the holding by the risk manager (spot: no shorts), and says so", async () => {
    const asked = question(await h.say(TRADER, "/sell ETH/USDT 5"));
    const answered = plain(onlyMessage(await h.press(TRADER, asked, "Confirm")));
    expect(answered).toMatch(
      /^SELL 0\.1 ETH\/USDT filled at [\d,.]+ \(order filled\)\.\nResized by the risk manager: .*0\.1 ETH held/,
    );
    expect(manual("ETH/USDT")).toBeUndefined();
  });

  it("the kill switch stops manual orders too: HALTED refuses a confirmed /buy", async () => {
    await h.press(ADMIN, question(await h.say(ADMIN, "/halt maintenance")), "Confirm");
    const asked = question(await h.say(TRADER, "/buy BTC/USDT 0.01"));
    expect(plain(onlyMessage(await h.press(TRADER, asked, "Confirm")))).toMatch(
      /^BUY BTC\/USDT was not sent: the risk manager refused it \(.*HALTED.*\)\.$/,
    );
    await h.press(ADMIN, question(await h.say(ADMIN, "/resume")), "Confirm");
    expect(manual("BTC/USDT")?.quantity).toBeCloseTo(0.01, 9);
  });

  it("Cancel sends nothing, and only the asker may answer", async () => {
    const fills = (await listFills(t.store.db)).length;
    const asked = question(await h.say(TRADER, "/buy BTC/USDT 0.02"));
    const foreign = await h.press(VIEWER, asked, "Confirm");
    expect(foreign.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe("This button is not for you.");
    expect(plain(onlyMessage(await h.press(TRADER, asked, "Cancel")))).toBe("Cancelled.");
    expect((await listFills(t.store.db)).length).toBe(fills);
  });

  it("/close asks which positions it will close, then closes them at the market", async () => {
    expect(plain(onlyMessage(await h.say(TRADER, "/close DOGE/USDT")))).toBe(
      'No open position matches "DOGE/USDT". /positions lists them.',
    );
    const asked = question(await h.say(TRADER, "/close manual:BTC/USDT"));
    expect(plain(asked)).toBe("Close 1 position(s) at the market?\nmanual:BTC/USDT 0.01 (paper)");
    const answered = plain(onlyMessage(await h.press(TRADER, asked, "Confirm")));
    expect(answered).toMatch(/^manual: SELL 0\.01 BTC\/USDT filled at [\d,.]+ \(order filled\)\.$/);
    expect(manual("BTC/USDT")).toBeUndefined();
    expect((await listAudit(t.store.db, { action: "close" }))[0]?.detail).toMatchObject({
      confirmed: { target: "manual:BTC/USDT" },
    });
  });

  it("/close of a strategy's position exits under that strategy's own binding", async () => {
    const held = t.engine
      .accounts()
      .get("paper")!
      .trading.status()
      .positions.find((p) => p.strategyId === "eth-cross");
    if (!held) return; // the replay ended flat for it: nothing to close
    const asked = question(await h.say(TRADER, "/close eth-cross:ETH/USDT"));
    expect(plain(await h.press(TRADER, asked, "Confirm").then(onlyMessage))).toMatch(/^eth-cross: SELL .* filled/);
    const close = (await t.store.db.selectFrom("orders").selectAll().where("strategy_id", "=", "eth-cross").execute())
      .map((o) => o.intent_id)
      .find((id) => id.endsWith(":close"));
    expect(close).toMatch(/^eth-cross:ETH\/USDT:\d+:close$/);
  });

  it("/stop stops feeding candles to a strategy; /run feeds it again; both audited", async () => {
    const eth = t.engine.strategies().find((s) => s.config.id === "eth-cross")!;
    const btc = t.engine.strategies().find((s) => s.config.id === "btc-fast-cross")!;
    const ethSteps = vi.spyOn(eth.session.runner, "onCandleEvent");
    const btcSteps = vi.spyOn(btc.session.runner, "onCandleEvent");
    expect(plain(onlyMessage(await h.say(TRADER, "/stop eth-cross")))).toMatch(
      /^eth-cross stopped: it gets no more candles/,
    );
    expect(plain(onlyMessage(await h.say(TRADER, "/stop eth-cross")))).toBe("eth-cross is already stopped.");
    expect((await findStrategyInstance(t.store.db, "eth-cross"))?.state).toBe("stopped");
    expect(t.engine.status().strategies.find((s) => s.id === "eth-cross")?.status).toBe("stopped");

    const candle = { time: Date.UTC(2021, 0, 1), open: 700, high: 710, low: 690, close: 705, volume: 1 };
    for (const symbol of ["ETH/USDT", "BTC/USDT"]) {
      await t.bus.publish("candle.closed", { exchange: "binance", symbol, timeframe: "1h", candle, source: "live" });
    }
    await t.bus.drain();
    expect(ethSteps).not.toHaveBeenCalled();
    expect(btcSteps).toHaveBeenCalledTimes(1);

    expect(plain(onlyMessage(await h.say(TRADER, "/run eth-cross")))).toBe(
      "eth-cross runs again from the next candle.",
    );
    const next = { ...candle, time: candle.time + 3_600_000 };
    await t.bus.publish("candle.closed", {
      exchange: "binance",
      symbol: "ETH/USDT",
      timeframe: "1h",
      candle: next,
      source: "live",
    });
    await t.bus.drain();
    expect(ethSteps).toHaveBeenCalledTimes(1);
    expect((await findStrategyInstance(t.store.db, "eth-cross"))?.state).toBe("running");
    expect(plain(onlyMessage(await h.say(TRADER, "/run nope")))).toMatch(/^No running strategy nope/);
    const audited = await listAudit(t.store.db, { actor: `telegram:${TRADER}`, order: "asc" });
    expect(audited.filter((a) => a.action === "stop" || a.action === "run").map((a) => a.action)).toEqual([
      "stop",
      "stop",
      "run",
      "run",
    ]);
  });

  it("/set checks the value against the manifest, stores it, and says it applies at the restart", async () => {
    expect(plain(onlyMessage(await h.say(TRADER, "/set btc-fast-cross fast=5")))).toBe(
      "Saved: btc-fast-cross fast = 5. It takes effect when the engine restarts; until then btc-fast-cross keeps fast = 3.",
    );
    expect(plain(onlyMessage(await h.say(TRADER, "/set btc-fast-cross fast=1.5")))).toBe(
      "Not saved: params.fast: expected an integer from 1 to 500, got 1.5",
    );
    expect(plain(onlyMessage(await h.say(TRADER, "/set btc-fast-cross fsat=4")))).toMatch(
      /^Not saved: params\.fsat: unknown param \(did you mean "fast"\?\)/,
    );
    const stored = (await findStrategyInstance(t.store.db, "btc-fast-cross"))?.config as Record<string, unknown>;
    expect(stored.paramOverrides).toEqual({ fast: 5 });
    expect(plain(onlyMessage(await h.say(VIEWER, "/strategy btc-fast-cross")))).toMatch(/fast\s+3\s+5\n/);
  });

  it("answers bad arguments with the usage line", async () => {
    const cases: [string, string][] = [
      ["/buy BTC/USDT", "Usage: /buy <symbol> <amount> [account=<id>]"],
      ["/buy BTC/USDT -1", "Usage: /buy <symbol> <amount> [account=<id>]"],
      ["/buy BTC/USDT lots", "Usage: /buy <symbol> <amount> [account=<id>]"],
      ["/sell BTCUSDT 1", "Usage: /sell <symbol> <amount> [account=<id>]"],
      ["/sell BTC/USDT 1 leverage=10", "Usage: /sell <symbol> <amount> [account=<id>]"],
      ["/close", "Usage: /close <strategy:symbol|symbol|all>"],
      ["/run", "Usage: /run <id>"],
      ["/stop a b", "Usage: /stop <id>"],
      ["/set btc-fast-cross", "Usage: /set <id> <param>=<value>"],
      ["/set btc-fast-cross fast 5", "Usage: /set <id> <param>=<value>"],
      ["/set fast=5", "Usage: /set <id> <param>=<value>"],
    ];
    for (const [line, usage] of cases) expect(plain(onlyMessage(await h.say(TRADER, line))), line).toBe(usage);
  });

  it("takes a comma as the decimal mark, and asks nothing of a symbol without a price", async () => {
    expect(plain(onlyMessage(await h.say(TRADER, "/buy BTC/USDT 0,005")))).toMatch(/^Buy 0\.005 BTC\/USDT/);
    expect(plain(onlyMessage(await h.say(TRADER, "/buy XRP/USDT 10")))).toBe(
      "No price for XRP/USDT yet: the engine has not seen it on the feed.",
    );
  });

  it("keeps trading to traders: a viewer is refused, and the refusal audited", async () => {
    const before = (await listAudit(t.store.db, { actor: `telegram:${VIEWER}`, outcome: "denied" })).length;
    for (const line of [
      "/buy BTC/USDT 1",
      "/sell BTC/USDT 1",
      "/close all",
      "/stop btc-fast-cross",
      "/set btc-fast-cross fast=4",
    ]) {
      expect(plain(onlyMessage(await h.say(VIEWER, line))), line).toBe("This command needs the trader role.");
    }
    const denied = await listAudit(t.store.db, { actor: `telegram:${VIEWER}`, outcome: "denied", order: "asc" });
    expect(denied.slice(before).map((a) => a.action)).toEqual(["buy", "sell", "close", "stop", "set"]);
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});
