import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startFakeTelegram } from "./fakes/telegram/index.ts";
import { freePort, spawnCli, waitFor } from "./helpers/process.ts";

interface Health {
  status: string;
  version: string;
  uptimeSeconds: number;
  db: { ok: boolean; dialect: string };
  bus: { state: string; kind: string };
  engine: { state: string; feed: { kind: string; published: number; series: string[] } };
}

describe("npm start (the main job)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "quantchat-main-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("imports the sample data, serves /health and /metrics, replays candles and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const proc = spawnCli(["start"], {
      QUANTCHAT_CONFIG: offlineConfig(dir),
      DATABASE_URL: path.join(dir, "main.db"),
      QUANTCHAT_STATE_DIR: path.join(dir, "var"),
      PORT: String(port),
      LOG_LEVEL: "info",
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const running = await waitFor(
        "the engine to run and replay candles",
        async () => {
          const res = await fetch(`${base}/health`);
          const body = (await res.json()) as Health;
          return body.engine.state === "running" && body.engine.feed.published > 0 ? { res, body } : undefined;
        },
        60_000,
      );
      expect(running.res.status).toBe(200);
      expect(running.body.status).toBe("ok");
      expect(running.body.db).toMatchObject({ ok: true, dialect: "sqlite" });
      expect(running.body.bus).toMatchObject({ state: "open", kind: "memory" });
      expect(running.body.engine.feed.kind).toBe("replay");
      // strategies.yaml trades BTC/USDT and ETH/USDT hourly on Binance.
      expect(running.body.engine.feed.series.sort()).toEqual(["binance:BTC/USDT:1h", "binance:ETH/USDT:1h"]);
      expect(running.body.version).toMatch(/^\d+\.\d+\.\d+/);

      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get("content-type")).toContain("text/plain");
      const text = await metrics.text();
      const published = /quantchat_candles_published_total\{source="replay"\} (\d+)/.exec(text);
      expect(Number(published?.[1])).toBeGreaterThan(0);

      const missing = await fetch(`${base}/nope`);
      expect(missing.status).toBe(404);

      proc.child.kill("SIGTERM");
      const code = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r("still running"), 8_000))]);
      expect(code, proc.output()).toBe(0);
      expect(proc.output()).toContain("stopped cleanly");
    } finally {
      proc.child.kill("SIGKILL");
    }
  }, 90_000);

  it("starts the Telegram bot when TELEGRAM_BOT_TOKEN is set and answers an admin's /status", async () => {
    const fake = await startFakeTelegram();
    const port = await freePort();
    const proc = spawnCli(["start"], {
      QUANTCHAT_CONFIG: offlineConfig(dir),
      DATABASE_URL: path.join(dir, "telegram.db"),
      QUANTCHAT_STATE_DIR: path.join(dir, "var-telegram"),
      PORT: String(port),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_ADMINS: "777",
    });
    try {
      await fake.waitFor((call) => call.method === "setMyCommands", { timeoutMs: 30_000 });
      const admin = fake.sendText(777, 777, "/status", { firstName: "Ada", languageCode: "en" });
      const stranger = fake.sendText(999, 999, "/status", { firstName: "Eve", languageCode: "en" });
      // The bot handles chats concurrently: confirming an update no longer means it was answered.
      for (const chatId of [777, 999]) {
        await fake.waitFor((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === chatId, {
          timeoutMs: 30_000,
        });
      }
      expect(admin.updateId).toBeLessThan(stranger.updateId);
      const toAdmin = fake.messagesTo(777).map((c) => String(c.payload.text ?? ""));
      const toStranger = fake.messagesTo(999).map((c) => String(c.payload.text ?? ""));
      expect(toAdmin.join("\n")).toMatch(/running|starting/i);
      expect(toStranger).toEqual(["You are not allowed to use this bot."]);
      expect(fake.problems).toEqual([]);
      proc.child.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
    } finally {
      proc.child.kill("SIGKILL");
      await fake.close();
    }
  }, 90_000);

  it("refuses to start with a one-line cause when the config is invalid", async () => {
    const proc = spawnCli(["start"], {
      DATABASE_URL: path.join(dir, "bad.db"),
      QUANTCHAT_CONFIG: path.join(dir, "missing.yaml"),
      PORT: String(await freePort()),
    });
    const code = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output()).toMatch(/missing\.yaml/);
    expect(proc.output()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("refuses a bad PORT with the variable named", async () => {
    const proc = spawnCli(["start"], { DATABASE_URL: path.join(dir, "bad2.db"), PORT: "http" });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain("PORT");
  });
});

/**
 * The shipped strategies.yaml with one change: `feed.mode: auto` would ask Binance for candles, and
 * tests reach nothing but 127.0.0.1.
 */
function offlineConfig(dir: string): string {
  const shipped = readFileSync(path.resolve(import.meta.dirname, "../strategies.yaml"), "utf8");
  const offline = shipped.replace(/^ {2}mode: auto\b/m, "  mode: replay");
  if (offline === shipped) throw new Error("strategies.yaml no longer says `mode: auto` under feed:");
  const file = path.join(dir, "strategies.yaml");
  writeFileSync(file, offline);
  return file;
}
