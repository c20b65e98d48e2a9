import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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
