import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_COMMANDS } from "../../../bot/commands/builtin/index.ts";
import { defineCommand } from "../../../bot/commands/define.ts";
import {
  commandButton,
  image,
  reply,
  table,
  text,
  textReply,
  title,
  withButtons,
} from "../../../bot/commands/reply.ts";
import { checkTelegramHtml } from "../../fakes/telegram/index.ts";
import { buttonsOf, type Harness, onlyMessage, plain, startHarness } from "../harness.ts";

// A real 1x1 PNG: what matters is that the bytes arrive unchanged through grammY's multipart upload.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

const ROWS = 300;

const bigTable = defineCommand({
  name: "bigtable",
  description: "cmd.help.description",
  usage: "cmd.help.usage",
  role: "viewer",
  run: () =>
    reply(
      title("Trades <all> & more"),
      table(
        ["#", "Symbol", "Note"],
        Array.from({ length: ROWS }, (_, i) => [String(i + 1), "BTC/USDT", `a<b & c>d ${"x".repeat(20)}`]),
      ),
      text("end of table"),
    ),
});

const chart = defineCommand({
  name: "chart",
  description: "cmd.help.description",
  usage: "cmd.help.usage",
  role: "viewer",
  run: () =>
    withButtons(
      reply(text("Equity follows"), image(PNG, { caption: "Equity <30d> & drawdown", filename: "equity.png" })),
      [commandButton("Again", "/chart")],
    ),
});

const slow = defineCommand({
  name: "slow",
  description: "cmd.help.description",
  usage: "cmd.help.usage",
  role: "viewer",
  async run(ctx) {
    const progress = await ctx.progress("Backtest: 0%");
    await progress.update("Backtest: 50%");
    await progress.update("Backtest: 50%"); // unchanged: no edit (Telegram would refuse it)
    await progress.update("Backtest: 100% <done>");
    await progress.done();
    return textReply("Backtest finished");
  },
});

describe("how replies reach Telegram", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      roles: { 1: "viewer", 2: "viewer", 3: "viewer" },
      // This file's /chart (a fixed PNG) replaces the built-in one, so the bytes that arrive can be compared.
      commands: [...BUILTIN_COMMANDS.filter((c) => c.name !== "chart"), bigTable, chart, slow],
      bot: { retry: { maxRetryAttempts: 2, maxDelaySeconds: 5 } },
    });
  }, 120_000);
  afterAll(async () => h?.close());

  it("splits a long table at 4096 characters into messages that each parse as HTML", async () => {
    const calls = await h.say(1, "/bigtable");
    const messages = calls.filter((c) => c.method === "sendMessage");
    expect(messages.every((m) => m.ok)).toBe(true);
    expect(messages.length).toBeGreaterThan(2);
    const rows: number[] = [];
    for (const message of messages) {
      const html = String(message.payload.text);
      expect(html.length).toBeLessThanOrEqual(4096);
      expect(checkTelegramHtml(html).problem).toBeUndefined();
      expect(html.split("<pre>").length).toBe(html.split("</pre>").length);
      // Every part of the table starts with its header again.
      const pre = html.slice(html.indexOf("<pre>") + 5);
      if (html.includes("<pre>")) expect(pre.split("\n")[0]).toMatch(/^\s*#\s+Symbol\s+Note/);
      for (const line of plain(message).split("\n")) {
        const row = /^\s*(\d+)\s+BTC\/USDT\s+a<b & c>d x+$/.exec(line);
        if (row) rows.push(Number(row[1]));
      }
    }
    expect(rows).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect(plain(messages[0]!)).toMatch(/^Trades <all> & more\n\n/);
    expect(plain(messages.at(-1)!)).toMatch(/end of table$/);
  });

  it("escapes user-controlled text", async () => {
    const message = onlyMessage(await h.say(2, "/start", { firstName: "<b>Eve</b> & <i>co" }));
    expect(message.payload.text).toContain("<b>Welcome to quantchat, &lt;b&gt;Eve&lt;/b&gt; &amp; &lt;i&gt;co.</b>");
    expect(plain(message)).toContain("Welcome to quantchat, <b>Eve</b> & <i>co.");
  });

  it("uploads an image with sendPhoto as multipart, caption escaped, buttons under it", async () => {
    const calls = await h.say(1, "/chart");
    expect(calls.map((c) => c.method)).toEqual(["sendChatAction", "sendMessage", "sendPhoto"]);
    const photo = calls[2]!;
    expect(photo.ok).toBe(true);
    expect(photo.file?.bytes.equals(PNG)).toBe(true);
    expect(photo.file?.filename).toBe("equity.png");
    expect(photo.file?.bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(photo.payload.caption).toBe("Equity &lt;30d&gt; &amp; drawdown");
    expect(buttonsOf(photo)).toEqual([{ text: "Again", callback_data: "c|/chart" }]);
    expect(buttonsOf(calls[1]!)).toEqual([]);
  });

  it("edits a progress message as long work goes on", async () => {
    const calls = await h.say(1, "/slow");
    expect(calls.map((c) => [c.method, plain(c)])).toEqual([
      ["sendMessage", "Backtest: 0%"],
      ["editMessageText", "Backtest: 50%"],
      ["editMessageText", "Backtest: 100% <done>"],
      ["sendMessage", "Backtest finished"],
    ]);
    expect(calls[1]!.payload.message_id).toBe(calls[0]!.result.message_id);
    expect(calls.every((c) => c.ok)).toBe(true);
  });

  it("retries a 429 after retry_after and delivers the reply", async () => {
    h.fake.failNext("sendMessage", { status: 429, retryAfter: 1 });
    const calls = await h.say(1, "/whoami");
    expect(calls.map((c) => [c.method, c.status])).toEqual([
      ["sendMessage", 429],
      ["sendMessage", 200],
    ]);
    expect(calls[1]!.payload.text).toBe(calls[0]!.payload.text);
    expect(h.logs.some((l) => l.msg === "Telegram rate limit (429)" && l.retryAfter === 1)).toBe(true);
  });

  it("does not wait for a retry_after beyond its bound, and the next update is served", async () => {
    h.fake.failNext("sendMessage", { status: 429, retryAfter: 3600 });
    const calls = await h.say(1, "/whoami");
    expect(calls.map((c) => c.status)).toEqual([429]);
    expect(h.logs.some((l) => l.msg === "Telegram update failed" && l.err?.message?.includes("429"))).toBe(true);
    expect(onlyMessage(await h.say(1, "/whoami")).ok).toBe(true);
  });

  it("keeps serving other chats when one chat fails", async () => {
    h.fake.failChat(2, { status: 403, description: "Forbidden: bot was blocked by the user" });
    const failed = await h.say(2, "/whoami");
    expect(failed.map((c) => c.status)).toEqual([403]);
    const other = onlyMessage(await h.say(3, "/whoami"));
    expect(other.ok).toBe(true);
    expect(other.payload.chat_id).toBe(3);
    h.fake.healChat(2);
    expect(onlyMessage(await h.say(2, "/whoami")).ok).toBe(true);
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});
