import { GrammyError, HttpError } from "grammy";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramBot, type TelegramBot } from "../../../bot/telegram/bot.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import type { Fill } from "../../../core/domain/order.ts";
import type { SentCall } from "../../fakes/telegram/index.ts";
import { coreServicesOf, SMALL_ENGINE, startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { type Harness, NO_RATE_LIMITS, plain, startHarness, T0 } from "../harness.ts";

const ADMIN = 1;
const WATCHER = 2; // a private chat subscribed to fills
const DESK = -500; // a group subscribed to fills
/** The least time between two messages to one group in the tuned bot: short, so the test is too. */
const GROUP_GAP_MS = 200;

const fill = (amount: number): Fill => ({
  id: `f-${amount}`,
  clientOrderId: `qc-${amount}`,
  accountId: "paper",
  strategyId: "btc-fast-cross",
  symbol: "BTC/USDT",
  side: "buy",
  amount,
  price: 20_000,
  fee: 0.1,
  feeCurrency: "USDT",
  time: T0,
});

/** Milliseconds from the first to the last of `calls` arriving at the fake. */
const span = (calls: readonly SentCall[]) => calls.at(-1)!.receivedAt - calls[0]!.receivedAt;

// Outgoing calls go through our throttler and grammY's auto-retry (bot/telegram/rate-limits.ts). The pace
// is read off the fake's receive times; only lower bounds are asserted, which load can only widen.
describe("Telegram's rate limits", () => {
  let t: TestEngine;
  let h: Harness; // tuned: groups paced at GROUP_GAP_MS, private chats and the total unlimited, one retry
  let telegram: TelegramBot; // Telegram's limits and the retry bounds as shipped
  beforeAll(async () => {
    t = await startTestEngine(SMALL_ENGINE);
    h = await startHarness({
      engine: t,
      roles: { [ADMIN]: "admin", [WATCHER]: "viewer" },
      bot: {
        throttle: { ...NO_RATE_LIMITS, groupPerSecond: 1_000 / GROUP_GAP_MS },
        retry: { maxRetryAttempts: 1 },
      },
    });
    await h.say(WATCHER, "/notify fills");
    await h.say(ADMIN, "/notify fills", { chatId: DESK, chatType: "group" });
    telegram = createTelegramBot({
      token: h.fake.token,
      apiRoot: h.fake.apiRoot,
      services: coreServicesOf(t, new SimulatedClock(T0)),
      store: t.store,
      log: pino({ level: "silent" }),
    });
  }, 120_000);
  afterAll(async () => {
    await telegram?.stop();
    await h?.close();
    await t?.close();
  });

  it("paces a burst of notifications to a group by its limit, in order, without holding up a private chat", async () => {
    const burst = [1, 2, 3, 4, 5, 6];
    const after = h.fake.sent.length;
    for (const amount of burst) await h.bus.publish("order.filled", { fill: fill(amount) });
    await h.bus.drain();

    const desk = h.fake.messagesTo(DESK, after);
    expect(desk.map((c) => Number(/^Fill: BUY (\d+) /.exec(plain(c))?.[1]))).toEqual(burst);
    // Five gaps of at least GROUP_GAP_MS; one is given up to the fake's receive-time jitter.
    expect(span(desk)).toBeGreaterThanOrEqual((burst.length - 2) * GROUP_GAP_MS);
    // The private chat has no limit here, and the group's does not hold it back.
    const watcher = h.fake.messagesTo(WATCHER, after);
    expect(watcher).toHaveLength(burst.length);
    expect(Math.max(...watcher.map((c) => c.seq))).toBeLessThan(desk.at(-1)!.seq);
  });

  it("keeps a private chat to one message a second by default, and lets a chat action through", async () => {
    const chat = 31;
    const after = h.fake.sent.length;
    const sends = ["one", "two", "three"].map((text) => telegram.bot.api.sendMessage(chat, text));
    await telegram.bot.api.sendChatAction(chat, "upload_photo");
    await Promise.all(sends);

    const messages = h.fake.messagesTo(chat, after);
    expect(messages.map((c) => c.payload.text)).toEqual(["one", "two", "three"]);
    expect(span(messages)).toBeGreaterThanOrEqual(1_800);
    // The chat action is not a message: it went out at once, not a second after "three".
    const action = h.fake.sent.find((c) => c.seq >= after && c.method === "sendChatAction")!;
    expect(action.seq).toBeLessThan(messages[1]!.seq);
  });

  it("retries a 429 after its retry_after and logs it", async () => {
    h.fake.failNext("sendMessage", { status: 429, retryAfter: 1 });
    const after = h.fake.sent.length;
    const message = await h.telegram.bot.api.sendMessage(WATCHER, "after the flood wait");
    expect(message.text).toBe("after the flood wait");
    const calls = h.fake.sent.slice(after);
    expect(calls.map((c) => [c.method, c.status])).toEqual([
      ["sendMessage", 429],
      ["sendMessage", 200],
    ]);
    expect(span(calls)).toBeGreaterThanOrEqual(950);
    expect(h.logs.some((l) => l.msg === "Telegram rate limit (429)" && l.retryAfter === 1)).toBe(true);
  });

  it("holds a chat's later messages behind one waiting out a 429, so they keep their order", async () => {
    h.fake.failNext("sendMessage", { status: 429, retryAfter: 0.3 }, { chatId: DESK });
    const after = h.fake.sent.length;
    await Promise.all(["first", "second"].map((text) => h.telegram.bot.api.sendMessage(DESK, text)));
    expect(h.fake.sent.slice(after).map((c) => [c.payload.text, c.status])).toEqual([
      ["first", 429],
      ["first", 200],
      ["second", 200],
    ]);
  });

  it("gives up after the configured retries and hands the 429 to the caller", async () => {
    // The call and one retry (maxRetryAttempts: 1) fail; a second retry would have gone through.
    for (let i = 0; i < 2; i++) h.fake.failNext("sendMessage", { status: 429, retryAfter: 0.05 });
    const after = h.fake.sent.length;
    const error = await h.telegram.bot.api.sendMessage(WATCHER, "not this time").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(429);
    expect(h.fake.sent.slice(after).map((c) => c.status)).toEqual([429, 429]);
  });

  it("by default, does not wait out a retry_after over a minute", async () => {
    h.fake.failNext("sendMessage", { status: 429, retryAfter: 61 });
    const after = h.fake.sent.length;
    await expect(telegram.bot.api.sendMessage(32, "later")).rejects.toThrow(/429/);
    expect(h.fake.sent.slice(after)).toHaveLength(1);
  });

  it("never sends a message twice: a lost reply or a 5xx fails the call instead of retrying it", async () => {
    const after = h.fake.sent.length;
    h.fake.failNext("sendMessage", { dropReply: true });
    await expect(telegram.bot.api.sendMessage(33, "lost reply")).rejects.toBeInstanceOf(HttpError);
    h.fake.failNext("sendMessage", { status: 502, description: "Bad Gateway" });
    await expect(telegram.bot.api.sendMessage(34, "bad gateway")).rejects.toThrow(/502/);
    expect(h.fake.sent.slice(after).map((c) => [c.payload.text, c.status])).toEqual([
      ["lost reply", 200],
      ["bad gateway", 502],
    ]);
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});
