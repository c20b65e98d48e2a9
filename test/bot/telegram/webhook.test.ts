import { Hono } from "hono";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramBot, type TelegramBot } from "../../../bot/telegram/bot.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import { type FakeTelegram, startFakeTelegram } from "../../fakes/telegram/index.ts";
import { coreServicesOf, SMALL_ENGINE, startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { plain, T0 } from "../harness.ts";

describe("webhook mode", () => {
  let fake: FakeTelegram;
  let t: TestEngine;
  let telegram: TelegramBot;
  const app = new Hono();

  beforeAll(async () => {
    t = await startTestEngine(SMALL_ENGINE);
    fake = await startFakeTelegram();
    const clock = new SimulatedClock(T0);
    telegram = createTelegramBot({
      token: fake.token,
      apiRoot: fake.apiRoot,
      services: coreServicesOf(t, clock),
      store: t.store,
      log: pino({ level: "silent" }),
      clock,
      admins: [5],
      webhook: { url: "https://bot.example.test/telegram", secretToken: "s3cret" },
    });
    app.post("/telegram", telegram.webhook!);
    await telegram.start();
  }, 120_000);
  afterAll(async () => {
    await telegram?.stop();
    await fake?.close();
    await t?.close();
  });

  const update = (id: number, text: string) => ({
    update_id: id,
    message: {
      message_id: id,
      date: 1,
      from: { id: 5, is_bot: false, first_name: "Ada" },
      chat: { id: 5, type: "private", first_name: "Ada" },
      text,
      entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }],
    },
  });

  it("registers the webhook with its secret and does not poll", () => {
    const set = fake.sent.find((c) => c.method === "setWebhook");
    expect(set?.payload).toMatchObject({ url: "https://bot.example.test/telegram", secret_token: "s3cret" });
    expect(fake.sent.some((c) => c.method === "deleteWebhook")).toBe(false);
  });

  it("handles an update posted to the Hono route and replies through the Bot API", async () => {
    const after = fake.sent.length;
    const response = await app.request("/telegram", {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret" },
      body: JSON.stringify(update(1, "/whoami")),
    });
    expect(response.status).toBe(200);
    const reply = await fake.waitFor((c) => c.method === "sendMessage", { after });
    expect(plain(reply)).toMatch(/Role\s+admin/);
  });

  it("refuses a request without the secret", async () => {
    const after = fake.sent.length;
    const response = await app.request("/telegram", {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "guess" },
      body: JSON.stringify(update(2, "/halt")),
    });
    expect(response.status).toBe(401);
    expect(fake.sent.slice(after)).toEqual([]);
  });
});
