import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_COMMANDS, backtestCommand } from "../../../bot/commands/builtin/index.ts";
import { BACKTEST_CHART } from "../../../bot/commands/services/charts.ts";
import { importCandleFile } from "../../../core/market/index.ts";
import { listAudit } from "../../../core/store/repositories/audit.ts";
import { listBacktestResults } from "../../../core/store/repositories/backtests.ts";
import { shippedLines, tempDir, writeCandleFile } from "../../core/market/helpers.ts";
import { startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { type Harness, onlyMessage, plain, startHarness, textOf } from "../harness.ts";
import { decodePng } from "../png.ts";

const TRADER = 2;
const VIEWER = 3;

// /backtest runs the real backtester (the plugin in a child process) on the engine's stored candles.
describe("/backtest from chat", () => {
  let t: TestEngine;
  let h: Harness;
  beforeAll(async () => {
    t = await startTestEngine({ symbols: ["BTC-USDT"], yaml: SMALL });
    h = await startHarness({
      roles: { [TRADER]: "trader", [VIEWER]: "viewer" },
      engine: t,
      // Progress at once, so that even this short run shows its message being edited.
      commands: [...BUILTIN_COMMANDS.filter((c) => c.name !== "backtest"), backtestCommand({ progressAfterMs: 0 })],
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  it("answers the metrics and the backtest chart, stores the run, and shows progress by editing a message", async () => {
    const calls = await h.say(TRADER, "/backtest sma-cross BTC/USDT 1h all fast=4 slow=12");
    const progress = calls.filter((c) => c.payload.text?.startsWith("Backtest sma-cross BTC/USDT 1h:"));
    expect(progress[0]?.method).toBe("sendMessage");
    expect(progress.slice(1).every((c) => c.method === "editMessageText")).toBe(true);
    expect(progress.at(-1)?.payload.text).toBe("Backtest sma-cross BTC/USDT 1h: done.");
    expect(progress.length).toBeGreaterThanOrEqual(2);

    const text = textOf(calls.filter((c) => !progress.includes(c)));
    expect(text).toContain("Backtest sma-cross 1.1.0, BTC/USDT 1h");
    expect(text).toMatch(/2020-12-01 00:00 UTC to 2020-12-17 15:00 UTC, 400 candles/);
    expect(text).toContain("Params: fast=4 slow=12");
    expect(text).toMatch(/Return: [+-][\d.]+% \(buy and hold \+[\d.]+%\)/);
    expect(text).toMatch(/Trades: \d+, win rate [\d.]+%, profit factor [\d.]+, fees [\d.]+/);

    const [stored] = await listBacktestResults(t.store.db);
    expect(text).toContain(`Stored as ${stored!.id.slice(0, 12)}`);
    expect(stored!.params).toMatchObject({ fast: 4, slow: 12 });

    const photo = calls.find((c) => c.method === "sendPhoto")!;
    expect(plain(photo)).toBe("Backtest of sma-cross on BTC/USDT 1h");
    const png = decodePng(photo.file!.bytes);
    expect([png.width, png.height]).toEqual([BACKTEST_CHART.width, BACKTEST_CHART.height]);
    expect(photo.file!.bytes.length).toBeGreaterThan(10_000);
    expect(photo.file!.bytes.length).toBeLessThan(2_000_000);
    expect((await listAudit(t.store.db, { action: "backtest" }))[0]?.outcome).toBe("ok");
  }, 60_000);

  it("a date range runs over those days only", async () => {
    const text = textOf(await h.say(TRADER, "/backtest sma-cross btc/usdt 1h 2020-12-05..2020-12-10"));
    expect(text).toMatch(/2020-12-05 00:00 UTC to 2020-12-10 23:00 UTC, 144 candles/);
    expect(text).not.toContain("No candles stored");
  }, 60_000);

  it("says which part of a range it had no candles for", async () => {
    // The engine stores 2020-12-01 00:00 to 2020-12-17 15:00.
    const text = textOf(await h.say(TRADER, "/backtest sma-cross btc/usdt 1h 2020-11-01..2020-12-31"));
    const lines = text.split("\n");
    const range = lines.findIndex((l) => /^2020-12-01 00:00 UTC to 2020-12-17 15:00 UTC, 400 candles$/.test(l));
    expect(range).toBeGreaterThanOrEqual(0);
    expect(lines.slice(range + 1, range + 3)).toEqual([
      "No candles stored from 2020-11-01 00:00 UTC to 2020-12-01 00:00 UTC",
      "No candles stored from 2020-12-17 16:00 UTC to 2021-01-01 00:00 UTC",
    ]);
  }, 60_000);

  it("names the longest hole and how many holes there are", async () => {
    // 1,200 real BTC hours stored as SOL/USDT with two holes cut out, each longer than the week that goes
    // unsaid (a market's closed days): 200 hours from the 201st, 180 from the 701st.
    const lines = shippedLines("binance_BTC-USDT_1h.csv.gz").slice(0, 1200);
    const cut = [...lines.slice(0, 200), ...lines.slice(400, 700), ...lines.slice(880)];
    const { dir, remove } = tempDir();
    try {
      const file = writeCandleFile(dir, "sol.csv", cut);
      await importCandleFile(t.store, file, { exchange: "binance", symbol: "SOL/USDT", timeframe: "1h" });
    } finally {
      remove();
    }
    const time = (i: number) => Number(lines[i]?.split(",")[0]);
    const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
    const text = textOf(await h.say(TRADER, "/backtest sma-cross SOL/USDT 1h all"));
    expect(text).toContain(`\nNo candles stored from ${at(time(200))} to ${at(time(400))}, the longest of 2 holes\n`);
    expect(text).not.toContain(at(time(700)));
  }, 60_000);

  it("explains what it cannot run, in words", async () => {
    const answer = async (line: string) =>
      textOf(await h.say(TRADER, line))
        .split("\n\n")
        .filter((s) => !s.startsWith("Backtest "))
        .join("\n\n");
    expect(await answer("/backtest nope BTC/USDT 1h")).toBe('The backtest did not run: no plugin "nope" is installed');
    expect(await answer("/backtest sma-cross ETH/USDT 1h")).toBe(
      "The backtest did not run: no ETH/USDT 1h candles are stored for binance",
    );
    expect(await answer("/backtest sma-cross BTC/USDT 1h fast=0")).toMatch(
      /^The backtest did not run: sma-cross: params\.fast: expected an integer/,
    );
    expect(plain(onlyMessage(await h.say(TRADER, "/backtest sma-cross BTC/USDT 1h 10x")))).toBe(
      'Cannot read the period "10x". Use 30d, 12w, 6m, 1y, all or 2024-01-01..2024-03-31.',
    );
  }, 60_000);

  it("answers bad arguments with the usage line and refuses viewers", async () => {
    const usage =
      "Usage: /backtest <plugin> <symbol> <timeframe> [30d|6m|1y|all|2024-01-01..2024-03-31] [param=value ...]";
    for (const line of [
      "/backtest",
      "/backtest sma-cross BTC/USDT",
      "/backtest ./evil BTC/USDT 1h",
      "/backtest sma-cross BTC/USDT 1h 30d extra",
    ]) {
      expect(plain(onlyMessage(await h.say(TRADER, line))), line).toBe(usage);
    }
    expect(plain(onlyMessage(await h.say(VIEWER, "/backtest sma-cross BTC/USDT 1h")))).toBe(
      "This command needs the trader role.",
    );
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});

const SMALL = `
accounts:
  - id: paper
    exchange: binance
    balances: { USDT: 10000 }
feed:
  mode: replay
  replay: { candlesPerSecond: 100000, loop: false }
strategies:
  - id: btc-cross
    plugin: sma-cross
    account: paper
    symbols: [BTC/USDT]
    timeframe: 1h
    params: { fast: 3, slow: 8 }
`;
