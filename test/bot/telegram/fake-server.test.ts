import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTelegram, parseMultipart, startFakeTelegram } from "../../fakes/telegram/index.ts";

describe("the fake Bot API server, driven by grammY's own client", () => {
  let fake: FakeTelegram;
  let api: Api;
  beforeAll(async () => {
    fake = await startFakeTelegram();
    api = new Api(fake.token, { apiRoot: fake.apiRoot });
  });
  afterAll(async () => fake?.close());

  it("long-polls getUpdates: waits for an update, then confirms it with the next offset", async () => {
    const waiting = api.getUpdates({ offset: 1, timeout: 5 });
    const { updateId } = fake.sendText(7, 7, "/status", { languageCode: "ko" });
    const updates = await waiting;
    expect(updates.map((u) => u.update_id)).toEqual([updateId]);
    expect(updates[0]?.message?.from?.language_code).toBe("ko");
    expect(updates[0]?.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 7 }]);
    let handled = false;
    const done = fake.handled(updateId).then(() => {
      handled = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(handled).toBe(false);
    expect(await api.getUpdates({ offset: updateId + 1, timeout: 0 })).toEqual([]);
    await done;
    expect(handled).toBe(true);
  });

  it("keeps uploaded file bytes exactly", async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
    await api.sendPhoto(9, new InputFile(bytes, "chart.png"), { caption: "c" });
    const call = fake.sent.at(-1)!;
    expect(call.method).toBe("sendPhoto");
    expect(call.file?.bytes.equals(bytes)).toBe(true);
    expect(call.file?.filename).toBe("chart.png");
    expect(call.payload).toMatchObject({ chat_id: 9, caption: "c" });
  });

  it("refuses what Telegram refuses, and reports it as a problem", async () => {
    const problems = fake.problems.length;
    await expect(api.sendMessage(9, "<b>unclosed", { parse_mode: "HTML" })).rejects.toThrow(/can't parse entities/);
    await expect(api.sendMessage(9, "a & b", { parse_mode: "HTML" })).rejects.toThrow(/can't parse entities/);
    await expect(api.sendMessage(9, "x".repeat(4097))).rejects.toThrow(/message is too long/);
    const tooLong = { inline_keyboard: [[{ text: "x", callback_data: "d".repeat(65) }]] };
    await expect(api.sendMessage(9, "x", { reply_markup: tooLong })).rejects.toThrow(/BUTTON_DATA_INVALID/);
    expect(fake.problems.length).toBe(problems + 4);
  });

  it("answers an edit that changes nothing with Telegram's 'not modified'", async () => {
    const message = await api.sendMessage(9, "same");
    await api.editMessageText(9, message.message_id, "changed");
    const error = await api.editMessageText(9, message.message_id, "changed").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).description).toMatch(/message is not modified/);
    expect(fake.message(9, message.message_id)?.text).toBe("changed");
  });

  it("injects a 429 with retry_after for the next call of a method, and a 403 for a chat", async () => {
    fake.failNext("sendMessage", { status: 429, retryAfter: 7 });
    const error = (await api.sendMessage(9, "x").catch((e: unknown) => e)) as GrammyError;
    expect(error.error_code).toBe(429);
    expect(error.parameters.retry_after).toBe(7);
    expect((await api.sendMessage(9, "x")).text).toBe("x");
    fake.failChat(-5, { status: 403 });
    await expect(api.sendMessage(-5, "x")).rejects.toThrow(/bot was blocked/);
    expect((await api.sendMessage(9, "y")).text).toBe("y");
  });

  it("can carry a call out and lose its answer, and stamps each call with when it arrived", async () => {
    const before = fake.sent.length;
    fake.failNext("sendMessage", { dropReply: true });
    await expect(api.sendMessage(9, "lost on the way back")).rejects.toBeInstanceOf(HttpError);
    await api.sendMessage(9, "next");
    const [lost, next] = fake.sent.slice(before);
    expect(lost).toMatchObject({ method: "sendMessage", ok: true });
    expect(fake.message(9, lost!.result.message_id)?.text).toBe("lost on the way back");
    expect(next!.receivedAt).toBeGreaterThan(lost!.receivedAt);
  });
});

describe("parseMultipart", () => {
  it("reads grammY's loose part headers and binary bodies", () => {
    const body = Buffer.concat([
      Buffer.from('--b1\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n--b1\r\n'),
      Buffer.from(
        'content-disposition:form-data;name="abc";filename=x.png\r\ncontent-type:application/octet-stream\r\n\r\n',
      ),
      Buffer.from([0, 13, 10, 45, 45, 255]),
      Buffer.from("\r\n--b1--\r\n"),
    ]);
    const parts = parseMultipart(body, "multipart/form-data; boundary=b1");
    expect(parts.map((p) => [p.name, p.filename])).toEqual([
      ["chat_id", undefined],
      ["abc", "x.png"],
    ]);
    expect(parts[0]!.data.toString()).toBe("42");
    expect([...parts[1]!.data]).toEqual([0, 13, 10, 45, 45, 255]);
  });
});
