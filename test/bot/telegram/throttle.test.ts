import { describe, expect, it } from "vitest";
import { TELEGRAM_RATE_LIMITS } from "../../../bot/telegram/rate-limits.ts";
import { type ThrottleLimits, type ThrottleTime, throttle } from "../../../bot/telegram/throttle.ts";

const LIFTED: ThrottleLimits = {
  globalPerSecond: Number.POSITIVE_INFINITY,
  privatePerSecond: Number.POSITIVE_INFINITY,
  groupPerSecond: Number.POSITIVE_INFINITY,
  groupPerMinute: Number.POSITIVE_INFINITY,
};

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Time moved by hand: advance() runs each timer at its own time, letting promises settle in between. */
class ManualTime implements ThrottleTime {
  private time = 0;
  private timers: { at: number; wake: () => void }[] = [];
  /** Every timer the throttler asked for. */
  timersSet = 0;

  now(): number {
    return this.time;
  }

  after(ms: number, wake: () => void): void {
    this.timers.push({ at: this.time + ms, wake });
    this.timersSet++;
  }

  async advance(to: number): Promise<void> {
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = Math.max(this.time, due.at);
      due.wake();
    }
    this.time = to;
    await settle();
  }
}

interface Call {
  readonly method: string;
  readonly chatId?: number;
  readonly text?: string;
  readonly at: number;
}

/** A throttler on manual time in front of a Bot API that answers at once, or when released. */
function setUp(limits: ThrottleLimits) {
  const time = new ManualTime();
  const transformer = throttle(limits, time);
  const calls: Call[] = [];
  const held: (() => void)[] = [];
  let holding = false;
  const prev = (method: string, payload: any): Promise<unknown> => {
    calls.push({ method, chatId: payload?.chat_id, text: payload?.text, at: time.now() });
    if (!holding) return Promise.resolve({ ok: true, result: true });
    return new Promise((resolve) => held.push(() => resolve({ ok: true, result: true })));
  };
  const call = (method: string, payload?: Record<string, unknown>): Promise<unknown> =>
    (transformer as any)(prev, method, payload);
  return {
    time,
    calls,
    call,
    /** Calls from now on stay unanswered until released, like one waiting out a 429. */
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const answer of held.splice(0)) answer();
    },
    send: (chatId: number, text: string) => call("sendMessage", { chat_id: chatId, text }),
  };
}

describe("the outgoing throttler's decisions", () => {
  it("lets a call within its limits straight through: no timer, the very promise the API returned", async () => {
    const t = setUp(TELEGRAM_RATE_LIMITS);
    const returned = t.send(1, "hello");
    expect(t.calls).toHaveLength(1); // sent before anything was awaited
    const direct = t.call("getMe");
    const action = t.call("sendChatAction", { chat_id: 1, action: "typing" });
    expect(t.calls.map((c) => c.method)).toEqual(["sendMessage", "getMe", "sendChatAction"]);
    expect(t.time.timersSet).toBe(0);
    await Promise.all([returned, direct, action]);

    // The very promise: a transformer in front of a recording API that returns a known one.
    const answer = Promise.resolve({ ok: true, result: true });
    const fresh = throttle(TELEGRAM_RATE_LIMITS, t.time) as any;
    expect(fresh(() => answer, "sendMessage", { chat_id: 2, text: "hi" })).toBe(answer);
  });

  it("spaces a private chat's messages a second apart, in order, without holding up another chat", async () => {
    const t = setUp(TELEGRAM_RATE_LIMITS);
    const sends = ["one", "two", "three"].map((text) => t.send(1, text));
    const other = t.send(2, "elsewhere");
    await t.time.advance(5_000);
    await Promise.all([...sends, other]);
    expect(t.calls.filter((c) => c.chatId === 1).map((c) => [c.text, c.at])).toEqual([
      ["one", 0],
      ["two", 1_000],
      ["three", 2_000],
    ]);
    expect(t.calls.find((c) => c.chatId === 2)?.at).toBe(0);
    expect(t.time.timersSet).toBe(2); // one per call that had to wait
  });

  it("holds a chat's next call until the one in flight settles, even past its slot (a retry waiting out a 429)", async () => {
    const t = setUp(TELEGRAM_RATE_LIMITS);
    t.hold();
    const first = t.send(1, "first");
    const second = t.send(1, "second");
    await t.time.advance(5_000);
    expect(t.calls.map((c) => c.text)).toEqual(["first"]);
    t.release();
    await Promise.all([first, second]);
    expect(t.calls.map((c) => [c.text, c.at])).toEqual([
      ["first", 0],
      ["second", 5_000],
    ]);
  });

  it("keeps a group to one message a second and 20 in any minute", async () => {
    const t = setUp(TELEGRAM_RATE_LIMITS);
    const sends = Array.from({ length: 25 }, (_, i) => t.send(-100, `m${i}`));
    await t.time.advance(70_000);
    await Promise.all(sends);
    expect(t.calls.map((c) => c.text)).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
    const first20 = Array.from({ length: 20 }, (_, i) => i * 1_000);
    // The 21st waits for the first to be a minute old, then one a second again as the window slides.
    expect(t.calls.map((c) => c.at)).toEqual([...first20, 60_000, 61_000, 62_000, 63_000, 64_000]);
  });

  it("holds all chats together to the global limit and serves the waiting ones in turn", async () => {
    const t = setUp({ ...LIFTED, globalPerSecond: 3 });
    const sends = [1, 2, 3, 4, 5].map((chatId) => t.send(chatId, `to ${chatId}`));
    const noChat = t.call("answerCallbackQuery", { callback_query_id: "q" });
    const late = t.send(6, "to 6");
    await t.time.advance(3_000);
    await Promise.all([...sends, noChat, late]);
    expect(t.calls.map((c) => [c.chatId ?? c.method, c.at])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 1_000],
      [5, 1_000],
      ["answerCallbackQuery", 1_000],
      [6, 2_000],
    ]);
  });

  it("sets no timer at all with the limits lifted, a chat's calls still one at a time and in order", async () => {
    const t = setUp(LIFTED);
    t.hold();
    const sends = Array.from({ length: 50 }, (_, i) => t.send(1, `m${i}`));
    await settle();
    expect(t.calls).toHaveLength(1); // the rest wait for the first to settle
    t.release();
    for (let i = 0; i < 50; i++) await settle();
    await Promise.all(sends);
    expect(t.calls.map((c) => c.text)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    expect(t.time.timersSet).toBe(0);
  });
});
