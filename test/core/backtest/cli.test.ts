import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeMetrics, summarise } from "../../../core/backtest/metrics/index.ts";
import { importCandleFile } from "../../../core/market/index.ts";
import { spawnCli, waitFor } from "../../helpers/process.ts";
import { openStore, REPO_DIR, shippedLines, tempDir, writeCandleFile } from "../market/helpers.ts";
import { makeRun } from "./metrics-fixture.ts";

// The real CLI in child processes on a temporary SQLite database holding 2,000 hours of real
// BTC/USDT candles (December 2020 to February 2021).

let dir: string;
let remove: () => void;

beforeAll(async () => {
  ({ dir, remove } = tempDir());
  const store = await openStore(dir, "cli.db");
  try {
    const file = writeCandleFile(dir, "btc.csv", shippedLines("binance_BTC-USDT_1h.csv.gz").slice(0, 2000));
    await importCandleFile(store, file, { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" });
  } finally {
    await store.close();
  }
});
afterAll(() => remove());

function quantchat(args: string[], env: Record<string, string> = {}) {
  const full = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATABASE_URL: path.join(dir, "cli.db"),
    QUANTCHAT_STATE_DIR: path.join(dir, "state"),
    ...env,
  };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--no-node-snapshot", path.join(REPO_DIR, "bin/quantchat.js"), ...args],
      { cwd: REPO_DIR, env: full, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const BASE = ["--plugin", "sma-cross", "--symbol", "BTC/USDT", "--timeframe", "1h", "--from", "2020-12-01"];
const RANGE = [...BASE, "--to", "2021-01-31", "--quiet"];

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

// Runs one after another: each child runs a plugin in an isolate with a CPU budget per call, and a
// dozen of them at once on a small machine is a test of the machine.
describe("quantchat backtest", () => {
  it("prints the report, stores the result and lists it", async () => {
    const result = await quantchat(["backtest", ...RANGE, "--param", "fast=5", "--param", "slow=20", "--fee", "0.1"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain("sma-cross 1.1.0 (code ");
    expect(out).toContain("BTC/USDT 1h on binance");
    expect(out).toContain("params    fast=5 slow=20");
    for (const label of ["Returns", "Risk", "Trades", "Total return", "Sharpe", "Max drawdown", "Win rate"]) {
      expect(out).toContain(label);
    }
    const id = /stored as (\S+)\n$/.exec(out)?.[1];
    expect(id).toBeTruthy();

    const listed = await quantchat(["backtests"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split("\n")[0]).toMatch(
      /^id +plugin +symbol +timeframe +range \(UTC\) +return +sharpe +created \(UTC\)$/,
    );
    expect(listed.stdout).toMatch(/sma-cross 1\.1\.0 +BTC\/USDT +1h +2020-12-01\.\.2021-01-31 +[+-][\d.]+% +-?[\d.]+ /);
    expect(listed.stdout).toContain((id as string).slice(0, 12));
  });

  it("--json has every metric, the trades and the equity curve; --chart writes a PNG", async () => {
    const chart = path.join(dir, "chart.png");
    const result = await quantchat(["backtest", ...RANGE, "--json", "--no-risk", "--chart", chart]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    const expected = Object.keys(summarise(computeMetrics(makeRun([100])))).sort();
    expect(Object.keys(doc.metrics).sort()).toEqual(expected);
    expect(doc.plugin).toMatchObject({ id: "sma-cross", version: "1.1.0" });
    expect(doc.plugin.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.settings).toMatchObject({ plugin: "sma-cross", symbols: ["BTC/USDT"], timeframe: "1h", risk: null });
    expect(doc.equity.length).toBeGreaterThan(1000); // two months of hours
    expect(doc.trades.length).toBe(doc.metrics.trades + doc.metrics.openTrades);
    expect(doc.breakdowns.month.map((m: { period: string }) => m.period)).toEqual(["2020-12", "2021-01"]);
    expect(typeof doc.id).toBe("string");
    const size = pngSize(chart);
    expect(size.width).toBeGreaterThan(300);
    expect(size.height).toBeGreaterThan(200);
  });

  it("backtests show prints a stored result again: the same report, the same JSON, its chart", async () => {
    // Annualised for 252 days with a risk-free rate: show must compute the metrics as the run did.
    const args = ["backtest", ...RANGE, "--param", "fast=6", "--days-per-year", "252", "--risk-free", "3"];
    const ran = await quantchat(args);
    expect(ran.code).toBe(0);
    const id = /stored as ([0-9a-f]{64})\n$/.exec(ran.stdout)?.[1] as string;
    expect(id).toBeTruthy();

    const shown = await quantchat(["backtests", "show", id.slice(0, 12)]);
    expect(shown.stderr).toBe("");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(ran.stdout);

    const ranJson = await quantchat([...args, "--json"]);
    const chart = path.join(dir, "shown.png");
    const shownJson = await quantchat(["backtests", "show", id.slice(0, 8).toUpperCase(), "--json", "--chart", chart]);
    expect(shownJson.code).toBe(0);
    expect(JSON.parse(shownJson.stdout)).toEqual(JSON.parse(ranJson.stdout));
    expect(shownJson.stderr).toBe(`chart written to ${chart}\n`);
    expect(pngSize(chart).width).toBeGreaterThan(300);
  });

  it("backtests show names an id it cannot find, or cannot read", async () => {
    const missing = await quantchat(["backtests", "show", "000000"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("quantchat: no stored backtest 000000 (quantchat backtests lists them)\n");
    const bad = await quantchat(["backtests", "show", "12ab"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'quantchat: expected a backtest id (at least 6 hex digits, as quantchat backtests lists them), got "12ab"\n',
    );
  });

  it("takes a plugin by path", async () => {
    const args = ["backtest", ...RANGE, "--json"].map((a) => (a === "sma-cross" ? "./plugins/sma-cross" : a));
    const result = await quantchat(args);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).settings.plugin).toBe("./plugins/sma-cross");
  });

  it("takes a plugin folder outside the working directory, and records where it is", async () => {
    const outside = path.join(dir, "my-plugin");
    cpSync(path.join(REPO_DIR, "plugins/sma-cross"), outside, { recursive: true });
    const result = await quantchat(["backtest", ...RANGE, "--json"].map((a) => (a === "sma-cross" ? outside : a)));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).settings.plugin).toBe(outside);
  });
});

describe.concurrent("quantchat backtest: bad input", () => {
  it("names a strategies.yaml it cannot use for the risk limits, and the way around it", async () => {
    const result = await quantchat(["backtest", ...RANGE], { QUANTCHAT_CONFIG: path.join(dir, "missing.yaml") });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `quantchat: risk limits: ${path.join(dir, "missing.yaml")}: file not found; or run with --no-risk\n`,
    );
  });

  it("calls an open end of the range the end when --from is past the stored candles", async () => {
    const result = await quantchat(["backtest", ...BASE.slice(0, -2), "--from", "2030-01-01", "--quiet"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^quantchat: no stored binance BTC\/USDT 1h candles from 2030-01-01 to the end \(stored: 2020-12-01 00:00 /,
    );
  });

  it.each([
    [["--plugin", "sma-crosss"], /^quantchat: --plugin sma-crosss: no such plugin \(did you mean "sma-cross"\?\)/],
    [["--param", "fast=0"], /^quantchat: --param fast: expected an integer from 1 to 500, got 0\n$/],
    [["--param", "fsat=3"], /^quantchat: --param fsat: unknown param \(did you mean "fast"\?\)/],
    [
      ["--symbol", "ETH/USDT"],
      /^quantchat: no stored candles for binance ETH\/USDT 1h; import them first: quantchat import binance_ETH-USDT_1h\.csv\.gz\n$/,
    ],
    [
      ["--from", "2030-01-01", "--to", "2030-02-01"],
      /^quantchat: no stored binance BTC\/USDT 1h candles from 2030-01-01 to 2030-02-01 \(stored: 2020-12-01 00:00 \.\. 2021-02-22 12:00 UTC\)/,
    ],
    [["--from", "2021-02-30"], /^quantchat: --from: no such date "2021-02-30"\n$/],
    [
      ["--to", "yesterday"],
      /^quantchat: --to: expected a UTC date like 2024-01-01 or 2024-01-01T12:00, got "yesterday"\n$/,
    ],
    [["--fill", "open"], /^quantchat: --fill: expected next-open or close, got "open"\n$/],
    [["--cash", "-5"], /^quantchat: --cash: expected a number greater than 0, got "-5"\n$/],
    [["--timeframe", "7m"], /^quantchat: --timeframe: unknown timeframe "7m"\n$/],
    [["--chart", "out.jpg"], /^quantchat: --chart: expected a \.png file name, got "out\.jpg"\n$/],
  ])("rejects bad input %j in one line, exit 1", async (bad, message) => {
    const args = [...RANGE];
    for (let i = 0; i < bad.length; i += 2) {
      const at = args.indexOf(bad[i] as string);
      if (at >= 0 && bad[i] !== "--param") args.splice(at, 2, bad[i] as string, bad[i + 1] as string);
      else args.push(bad[i] as string, bad[i + 1] as string);
    }
    const result = await quantchat(["backtest", ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stdout).toBe("");
  });
});

/** Processes (ours) whose environment holds `marker`: a backtest child gets only PATH and TMPDIR. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(marker)) found.push(Number(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

describe("quantchat backtest: its child process", () => {
  // It is started before the input is checked (it loads meanwhile), so bad input must kill it.
  it("is gone when the command ends, after bad input as after a run", async () => {
    const tmp = path.join(dir, "tmp-bad-input");
    mkdirSync(tmp, { recursive: true });
    const eth = RANGE.map((arg) => (arg === "BTC/USDT" ? "ETH/USDT" : arg));
    const bad = await quantchat(["backtest", ...eth], { TMPDIR: tmp });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^quantchat: no stored candles for binance ETH\/USDT 1h/);
    expect(processesWith(`TMPDIR=${tmp}`)).toEqual([]);

    const good = await quantchat(["backtest", ...RANGE], { TMPDIR: tmp });
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/stored as/);
    expect(processesWith(`TMPDIR=${tmp}`)).toEqual([]);
  });
});

// fast=20 with slow=20 passes the manifest but not the plugin's own check (fast < slow).
const GRID = ["--grid", "fast=5,20", "--grid", "slow=20..40:10", "--no-risk"];

describe("quantchat sweep", () => {
  it("ranks the grid; one worker and two give the same rows; a combination the plugin rejects says why", async () => {
    // --fresh: the second sweep runs every combination again rather than taking the rows the first stored.
    const one = await quantchat(["sweep", ...RANGE, ...GRID, "--workers", "1", "--json", "--fresh"]);
    const two = await quantchat(["sweep", ...RANGE, ...GRID, "--workers", "2", "--json", "--fresh"]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const a = JSON.parse(one.stdout);
    const b = JSON.parse(two.stdout);
    expect(a.rows).toHaveLength(6);
    expect(b.rows).toEqual(a.rows);
    expect(b.ranking).toEqual(a.ranking);
    expect(a.rows[3].params).toEqual({ fast: 20, slow: 20 });
    expect(a.rows[3].error).toContain("fast (20) must be shorter than slow (20)");
    expect(a.ranking).toHaveLength(5);
    const sharpe = a.ranking.map((i: number) => a.rows[i].metrics.sharpe ?? Number.NEGATIVE_INFINITY);
    expect([...sharpe].sort((x: number, y: number) => y - x)).toEqual(sharpe);
  });

  it("prints a ranked table and writes a heatmap", async () => {
    const heatmap = path.join(dir, "heatmap.png");
    const result = await quantchat([
      "sweep",
      ...RANGE,
      ...GRID,
      "--grid",
      "fraction=0.5,1",
      "--metric",
      "return",
      "--top",
      "3",
      "--heatmap",
      heatmap,
      "--workers",
      "2",
      "--fresh",
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toContain("12 combinations, 10 ran, ranked by totalReturn");
    // Candles from 2020-12-01 00:00, the first stored, to the end of January 31: 62 days of hours, less
    // the hours the exchange was down.
    const stored = shippedLines("binance_BTC-USDT_1h.csv.gz")
      .slice(0, 2000)
      .filter((l) => Number(l.split(",")[0]) < Date.UTC(2021, 1, 1)).length;
    expect(stored).toBeLessThan(62 * 24);
    expect(lines[1]).toBe(`2020-12-01 00:00 .. 2021-01-31 23:00 UTC, ${stored.toLocaleString("en-US")} candles`);
    expect(lines[2]).toMatch(/^settings {2}cash 10,000\.00, fee 0\.1%, .*risk rules off/);
    expect(lines[4]).toMatch(/^#\s+fast\s+slow\s+fraction\s+return\s+sharpe\s+max dd\s+win rate\s+trades$/);
    expect(result.stdout).toContain("(7 more; --top or --json)");
    expect(result.stdout).toContain(
      "skipped 2 combinations:\n  2 × sma-cross failed (error): init: fast (20) must be shorter",
    );
    expect(existsSync(heatmap)).toBe(true);
    pngSize(heatmap);
  });

  it("skips combinations the manifest rejects and tells why", async () => {
    const result = await quantchat([
      "sweep",
      ...RANGE,
      "--grid",
      "fast=0,5",
      "--grid",
      "slow=20",
      "--no-risk",
      "--workers",
      "1",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("2 combinations, 1 ran");
    expect(result.stdout).toContain(
      "skipped 1 combination:\n  1 × params.fast: expected an integer from 1 to 500, got 0\n",
    );
  });

  it("says once, above the ranking, which part of the range had no candles, as a backtest of it does", async () => {
    // Nothing is stored before 2020-12-01: the first month of the range is missing.
    const range = [...BASE.slice(0, -1), "2020-11-01", "--to", "2020-12-20", "--quiet"];
    const text = await quantchat(["sweep", ...range, "--grid", "fast=5,10", "--workers", "1", "--fresh"]);
    const json = await quantchat(["sweep", ...range, "--grid", "fast=5,10", "--workers", "1", "--json", "--fresh"]);
    const single = await quantchat(["backtest", ...range]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n");
    expect(lines.slice(1, 3)).toEqual([
      "2020-12-01 00:00 .. 2020-12-20 23:00 UTC, 480 candles",
      "data      none stored from 2020-11-01 00:00 to 2020-12-01 00:00",
    ]);
    expect(single.stdout.split("\n").slice(1, 3)).toEqual(lines.slice(1, 3));
    const nov1 = Date.UTC(2020, 10, 1);
    const dec1 = Date.UTC(2020, 11, 1);
    expect(JSON.parse(json.stdout).data).toEqual({
      first: dec1,
      last: Date.UTC(2020, 11, 20, 23),
      candles: 480,
      missing: { before: { from: nov1, to: dec1 } },
    });
  });

  it("a grid every run of which is refused still prints its table, the reason among the skips", async () => {
    // The same hours as BTC/USDT and as BTC/USD, resampled to 4h for haa-rebalance (two or more symbols):
    // quoted in two currencies, the range cannot be prepared, so every combination fails with that reason.
    const store = await openStore(dir, "cli.db");
    try {
      const file = writeCandleFile(dir, "btc-quotes.csv", shippedLines("binance_BTC-USDT_1h.csv.gz").slice(0, 500));
      for (const symbol of ["BTC/USDT", "BTC/USD"])
        await importCandleFile(store, file, { exchange: "binance", symbol, timeframe: "1h" }, { resample: ["4h"] });
    } finally {
      await store.close();
    }
    const result = await quantchat([
      "sweep",
      ...["--plugin", "haa-rebalance", "--symbol", "BTC/USDT", "--symbol", "BTC/USD", "--timeframe", "4h"],
      ...["--quiet", "--grid", "rebalanceEvery=10,20", "--workers", "1"],
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("2 combinations, 0 ran");
    expect(result.stdout).toContain(
      "skipped 2 combinations:\n  2 × the symbols are quoted in USDT, USD: a backtest counts equity in one currency\n",
    );
  });

  /**
   * A 48-combination sweep (with `slippage` bps, settings no other test sweeps) on one worker in a child
   * process, stopped by `signal` once its first row is stored: how many rows it left, and its output.
   */
  async function stopAfterFirstRow(slippage: string, signal: NodeJS.Signals, extra: readonly string[] = []) {
    const grid = ["--grid", "fast=2..24:2", "--grid", "slow=30..60:10"];
    const sweep = ["sweep", ...RANGE, "--slippage", slippage, ...grid, "--workers", "1", "--top", "48", ...extra];
    const store = await openStore(dir, "cli.db");
    const count = async () =>
      Number(
        (
          await store.db
            .selectFrom("sweep_results")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    try {
      const before = await count();
      const cli = spawnCli(sweep, {
        DATABASE_URL: path.join(dir, "cli.db"),
        QUANTCHAT_STATE_DIR: path.join(dir, "state"),
      });
      await waitFor("the first stored row", async () => ((await count()) > before ? true : undefined), 60_000);
      cli.child.kill(signal);
      const exit = await cli.exited;
      const kept = (await count()) - before;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(48);
      return { sweep, exit, kept, output: cli.output() };
    } finally {
      await store.close();
    }
  }

  it("a sweep killed half way runs, started again, only what it had not stored, and ranks as a fresh sweep does", async () => {
    const { sweep, exit, kept } = await stopAfterFirstRow("4", "SIGKILL");
    expect(exit).toBe("SIGKILL");
    const resumed = await quantchat(sweep);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(
      `\nstored    ${kept} of 48 combinations from earlier sweeps (the same inputs; --fresh runs them again)\n`,
    );
    const again = await quantchat(sweep);
    expect(again.stdout).toContain("\nstored    48 of 48 combinations from earlier sweeps");
    const fresh = await quantchat([...sweep, "--fresh"]);
    expect(fresh.stdout).not.toContain("stored ");
    const lines = (out: string) => out.split("\n").filter((line) => !line.startsWith("stored "));
    expect(lines(resumed.stdout)).toEqual(lines(fresh.stdout));
    expect(lines(fresh.stdout).filter((line) => /^ *\d+ +\d+ +\d+ /.test(line))).toHaveLength(48);
  });

  it("Ctrl-C stops a sweep with exit code 130 and says how many rows it keeps for the next one", async () => {
    const { exit, kept, output } = await stopAfterFirstRow("5", "SIGINT");
    expect(exit).toBe(130);
    expect(output).toContain(
      `stopped: ${kept} of 48 combinations are stored; the same command goes on from there (--fresh starts over)\n`,
    );
  });

  it("Ctrl-C of a --fresh sweep says to run it again without --fresh", async () => {
    const { exit, kept, output } = await stopAfterFirstRow("6", "SIGINT", ["--fresh"]);
    expect(exit).toBe(130);
    expect(output).toContain(
      `stopped: ${kept} of 48 combinations are stored; run it again without --fresh to go on from there\n`,
    );
  });

  it("walk-forward: a row per window and the joined out-of-sample result; run again, the training rows are stored", async () => {
    const args = [...["sweep", ...BASE, "--to", "2021-02-20", "--quiet", ...GRID]];
    const walk = [...args, "--walk-forward", "train=30d,test=10d", "--workers", "2"];
    const result = await quantchat([...walk, "--fresh"]);
    expect(result.code).toBe(0);
    // 2020-12-01 .. 2021-02-20 is 81 days: windows test [30,40), [40,50), ... [70,80): 5 windows.
    expect(result.stdout).toContain("5 windows, 6 combinations each, optimised for sharpe");
    expect(result.stdout).toContain("2020-12-31..2021-01-09");
    expect(result.stdout).toContain("Out of sample (the test windows joined");
    expect(result.stdout).toContain("Total return");
    expect(result.stdout).not.toMatch(/ note\n/);
    expect(result.stdout).not.toContain("stored ");

    // 30 training runs, of which the 5 with fast 20 and slow 20 fail (the plugin refuses them) and are not stored.
    const again = await quantchat(walk);
    const lines = again.stdout.split("\n");
    expect(lines[2]).toBe(
      "stored    25 of 30 training runs from earlier sweeps (the same inputs; --fresh runs them again)",
    );
    expect([...lines.slice(0, 2), ...lines.slice(3)]).toEqual(result.stdout.split("\n"));
  });

  it("walk-forward: a note on the window whose training started before the candles", async () => {
    const range = [...BASE.slice(0, -1), "2020-11-20", "--to", "2021-01-09", "--quiet"];
    const result = await quantchat([
      "sweep",
      ...range,
      ...GRID,
      "--walk-forward",
      "train=20d,test=10d",
      "--workers",
      "2",
      "--fresh",
    ]);
    expect(result.code).toBe(0);
    const rows = result.stdout.split("\n").filter((l) => /^ +\d+ {2}20\d\d-/.test(l));
    const lines = result.stdout.split("\n");
    expect(lines[1]).toMatch(/^settings {2}cash 10,000\.00, .*risk rules off/);
    expect(lines[3]).toMatch(/^window .* trades {2}note$/);
    // Training from 2020-11-20, candles from 2020-12-01: eleven days missing. The next window's one day goes unsaid.
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/ {2}training: none stored from 2020-11-20 00:00 to 2020-12-01 00:00$/);
    expect(rows[1]).toMatch(/ \d+$/);
  });
});

describe("quantchat sweep: bad input", () => {
  it("rejects bad grids and flags in one line before running anything", async () => {
    const [grid, metric, wf, heat] = await Promise.all([
      quantchat(["sweep", ...RANGE, "--grid", "fast=5..1"]),
      quantchat(["sweep", ...RANGE, ...GRID, "--metric", "sharp"]),
      quantchat(["sweep", ...RANGE, ...GRID, "--walk-forward", "train=300d,test=30d"]),
      quantchat(["sweep", ...RANGE, "--grid", "fast=5,10", "--heatmap", path.join(dir, "h.png")]),
    ]);
    expect(grid.stderr).toBe("quantchat: --grid fast=5..1: the range runs backwards (5 > 1)\n");
    expect(metric.stderr).toMatch(/^quantchat: --metric sharp: unknown metric \(did you mean "sharpe"\?\)/);
    expect(wf.stderr).toBe(
      "quantchat: --walk-forward: the range (62d) is shorter than one training plus test window (300d + 30d)\n",
    );
    expect(heat.stderr).toBe("quantchat: --heatmap needs two swept params (two --grid flags)\n");
    for (const r of [grid, metric, wf, heat]) expect(r.code).toBe(1);
  });
});
