import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegramFromEnv } from "../../../bot/telegram/from-env.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import { loadEnv } from "../../../core/config/env.ts";
import { listRoles } from "../../../core/store/repositories/roles.ts";
import { findUserByIdentity } from "../../../core/store/repositories/users.ts";
import { startFakeTelegram } from "../../fakes/telegram/index.ts";
import { coreServicesOf, SMALL_ENGINE, startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { T0 } from "../harness.ts";

describe("starting the bot from the environment", () => {
  let t: TestEngine;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    t = await startTestEngine(SMALL_ENGINE);
  }, 120_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await t?.close();
  });

  /** What main-job hands over: services over the engine, its store and bus, a clock, a log read back here. */
  function deps() {
    const lines: Record<string, any>[] = [];
    const log = pino(
      { level: "info" },
      new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(JSON.parse(chunk.toString()));
          done();
        },
      }),
    );
    const clock = new SimulatedClock(T0);
    const services = coreServicesOf(t, clock);
    return { deps: { services, store: t.store, bus: t.bus, clock, log }, lines };
  }

  it("stays off with one log line when TELEGRAM_BOT_TOKEN is not set", async () => {
    const { deps: d, lines } = deps();
    expect(startTelegramFromEnv(loadEnv({}), d)).toBeUndefined();
    expect(lines.map((l) => l.msg)).toEqual(["TELEGRAM_BOT_TOKEN is not set: the Telegram bot is off"]);
  });

  it("logs a refused token without throwing, and stops cleanly", async () => {
    const fake = await startFakeTelegram({ token: "42:right-token" });
    cleanups.push(() => fake.close());
    const { deps: d, lines } = deps();
    const env = loadEnv({ TELEGRAM_BOT_TOKEN: "42:wrong-token", TELEGRAM_API_ROOT: fake.apiRoot });
    const telegram = startTelegramFromEnv(env, d);
    await expect(telegram?.start()).rejects.toThrow(/401/);
    await telegram?.stop();
    expect(lines.some((l) => l.msg === "Telegram bot did not start")).toBe(true);
  });

  it("starts against TELEGRAM_API_ROOT with TELEGRAM_ADMINS seeded", async () => {
    const fake = await startFakeTelegram({ username: "qc_env_bot" });
    cleanups.push(() => fake.close());
    const { deps: d, lines } = deps();
    const env = loadEnv({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_ADMINS: "501, 502",
    });
    const telegram = startTelegramFromEnv(env, d);
    cleanups.push(async () => telegram?.stop());
    await telegram?.start(); // the same start, now finished
    expect(lines.some((l) => l.msg === "Telegram bot started as @qc_env_bot")).toBe(true);
    const admin = await findUserByIdentity(d.store.db, { platform: "telegram", platformUserId: "502" });
    expect((await listRoles(d.store.db, admin!.id)).map((g) => g.role)).toEqual(["admin"]);
    const { updateId } = fake.sendText(502, 502, "/whoami");
    await fake.handled(updateId);
    await telegram?.idle();
    expect(String(fake.sent.at(-1)?.payload.text)).toMatch(/Role\s+admin/);
  });
});
