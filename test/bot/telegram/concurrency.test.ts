import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_COMMANDS } from "../../../bot/commands/builtin/index.ts";
import { defineCommand } from "../../../bot/commands/define.ts";
import { reply, text } from "../../../bot/commands/reply.ts";
import { STOP_GRACE_MS } from "../../../bot/telegram/bot.ts";
import { TELEGRAM_RATE_LIMITS } from "../../../bot/telegram/rate-limits.ts";
import { type Harness, onlyMessage, plain, startHarness } from "../harness.ts";

const A = 11; // gets a reply of several messages, paced at one a second
const B = 12; // asks something small meanwhile
const C = 13; // has blocked the bot for one message

const PARTS = 4;

/** A reply too long for one message: `parts` paragraphs of 3,000 characters, one message each. */
const longReply = (name: string, parts: number) =>
  defineCommand({
    name,
    description: "cmd.help.description",
    usage: "cmd.help.usage",
    role: "viewer",
    run: () => reply(...Array.from({ length: parts }, (_, i) => text(`Part ${i + 1} ${"x".repeat(3_000)}`))),
  });
const story = longReply("story", PARTS); // (PARTS - 1) s of pacing: longer than STOP_GRACE_MS
const pair = longReply("pair", 2); // 1 s of pacing: well inside it

const partOf = (message: Parameters<typeof plain>[0]) => Number(/^Part (\d+) /.exec(plain(message))?.[1]);

// Updates are handled concurrently across chats (grammY's runner) and in order within one chat
// (sequentialize), under Telegram's real limits: one message a second to a private chat. Times are
// the fake's receive times; every bound leaves seconds of room, so load can only make them easier.
describe("chats handled concurrently", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      roles: { [A]: "viewer", [B]: "viewer", [C]: "viewer" },
      commands: [...BUILTIN_COMMANDS, story, pair],
      bot: { throttle: TELEGRAM_RATE_LIMITS },
    });
  }, 120_000);
  afterAll(async () => h?.close());

  it("answers chat B at once while chat A's long reply is still being paced out, in order", async () => {
    const after = h.fake.sent.length;
    h.fake.sendText(A, A, "/story");
    h.fake.sendText(A, A, "/whoami"); // A's next update waits for the first, whole
    const firstToA = await h.fake.waitFor((c) => c.ok && Number(c.payload.chat_id) === A, { after });
    const askedAt = performance.now();
    const { updateId } = h.fake.sendText(B, B, "/whoami");
    const toB = await h.fake.waitFor((c) => c.ok && Number(c.payload.chat_id) === B, { after });
    await h.fake.handled(updateId);
    await h.telegram.idle();

    await h.fake.waitFor((c) => c.ok && Number(c.payload.chat_id) === A && /Role/.test(plain(c)), { after });
    const toA = h.fake.messagesTo(A, after);
    expect(toA).toHaveLength(PARTS + 1);
    expect(toA.slice(0, PARTS).map(partOf)).toEqual(Array.from({ length: PARTS }, (_, i) => i + 1));
    expect(plain(toA.at(-1)!)).toMatch(/Role\s+viewer/);
    expect(toA[0]).toBe(firstToA);
    // A's reply was paced: PARTS - 1 gaps of a second, a little given up to receive-time jitter.
    const aSpan = toA[PARTS - 1]!.receivedAt - toA[0]!.receivedAt;
    expect(aSpan).toBeGreaterThanOrEqual((PARTS - 1) * 1_000 - 50);
    // B did not wait for it: its answer came before A's last part, well inside A's pacing.
    expect(plain(toB)).toMatch(/Role\s+viewer/);
    expect(toB.seq).toBeLessThan(toA[PARTS - 1]!.seq);
    expect(toB.receivedAt - askedAt).toBeLessThan(((PARTS - 1) * 1_000) / 2);
  }, 30_000);

  it("isolates a failing update: the same chat's next update and other chats are still served", async () => {
    await h.telegram.idle();
    h.fake.failNext(
      "sendMessage",
      { status: 403, description: "Forbidden: bot was blocked by the user" },
      { chatId: C },
    );
    const after = h.fake.sent.length;
    h.fake.sendText(C, C, "/whoami");
    h.fake.sendText(C, C, "/lang");
    const { updateId } = h.fake.sendText(B, B, "/whoami");
    await h.fake.handled(updateId);
    await h.telegram.idle();

    const toC = h.fake.sent.filter((c) => c.seq >= after && Number(c.payload.chat_id) === C);
    expect(toC.map((c) => [c.method, c.status])).toEqual([
      ["sendMessage", 403],
      ["sendMessage", 200],
    ]);
    expect(plain(toC[1]!)).not.toMatch(/Role/); // the second update's answer, not a retry of the first
    expect(h.logs.some((l) => l.msg === "Telegram update failed" && l.chatId === String(C))).toBe(true);
    expect(plain(onlyMessage(h.fake.sent.filter((c) => c.seq >= after && Number(c.payload.chat_id) === B)))).toMatch(
      /Role\s+viewer/,
    );
  }, 30_000);

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });

  // Last: it stops the bot.
  it("on stop, lets the updates in hand finish, but waits no longer than STOP_GRACE_MS", async () => {
    expect(STOP_GRACE_MS).toBeGreaterThan(1_000); // the pair's one second of pacing fits inside it
    expect(STOP_GRACE_MS).toBeLessThan((PARTS - 1) * 1_000); // the story's pacing does not
    await h.telegram.idle();
    const after = h.fake.sent.length;
    h.fake.sendText(A, A, "/story");
    h.fake.sendText(B, B, "/pair");
    for (const chatId of [A, B]) {
      await h.fake.waitFor((c) => c.ok && Number(c.payload.chat_id) === chatId, { after });
    }
    await h.telegram.stop();
    expect(h.fake.messagesTo(B, after).map(partOf)).toEqual([1, 2]);
    expect(h.fake.messagesTo(A, after).length).toBeLessThan(PARTS);
    const warning = h.logs.find((l) => l.msg === "Telegram stopped with updates still being handled");
    expect(warning?.updates).toBe(1);
  }, 30_000);
});
