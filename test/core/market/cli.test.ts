import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_DIR, shippedLines, tempDir, writeCandleFile } from "./helpers.ts";

let dir: string;
let remove: () => void;

beforeAll(() => {
  ({ dir, remove } = tempDir());
});
afterAll(() => remove());

/** Runs the real CLI in a child process against a database in the temp dir. */
function quantchat(args: string[], db = "cli.db"): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: path.join(dir, db), QUANTCHAT_STATE_DIR: path.join(dir, "state") };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--no-node-snapshot", path.join(REPO_DIR, "bin/quantchat.js"), ...args],
      { cwd: REPO_DIR, env },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// Each case has its own database, so they run side by side: a child process costs over a second.
describe.concurrent("quantchat import and candles", () => {
  it("imports a file named after its series, then lists it with its gaps", async () => {
    const lines = shippedLines("binance_ETH-USDT_5m.csv.gz").slice(0, 60);
    const file = writeCandleFile(dir, "binance_ETH-USDT_5m.csv.gz", [...lines.slice(0, 20), ...lines.slice(23)]);
    const imported = await quantchat(["import", file, "--resample", "15m", "--quiet"]);
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(
      `${file}: 57 candles binance ETH/USDT 5m, 2020-12-01T00:00Z .. 2020-12-01T04:55Z, 1 gap (3 candles missing);`,
    );
    expect(imported.stdout).toContain("resampled to 15m: 18 candles"); // two quarter hours lack a candle

    const listed = await quantchat(["candles", "--gaps"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split("\n").slice(0, 3)).toEqual([
      "exchange  symbol    timeframe  first (UTC)        last (UTC)         count  gaps",
      "binance   ETH/USDT  5m         2020-12-01T00:00Z  2020-12-01T04:55Z     57     1",
      "binance   ETH/USDT  15m        2020-12-01T00:00Z  2020-12-01T04:45Z     18     1",
    ]);
    expect(listed.stdout).toContain("binance ETH/USDT 5m:\n  2020-12-01T01:35Z -> 2020-12-01T01:55Z  3 missing\n");
  });

  it("reports a bad row as one line with file and line number, exit code 1", async () => {
    const file = writeCandleFile(dir, "bad.csv", [
      ...shippedLines("binance_BTC-USDT_1d.csv").slice(0, 2),
      "1503100800000,1,2,3,4",
    ]);
    const result = await quantchat(
      ["import", file, "--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1d"],
      "bad.db",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`quantchat: ${file}:4: expected 6 columns, got 5\n`);
    const listed = await quantchat(["candles"], "bad.db");
    expect(listed.stdout).toBe("no candles stored (import some with: quantchat import <file>)\n");
  });

  it("asks for the series when the file name does not say it, and rejects bad flags", async () => {
    const [unnamed, badResample] = await Promise.all([
      quantchat(["import", "prices.csv"], "flags.db"),
      quantchat(["import", "binance_BTC-USDT_1h.csv", "--resample", "5m"], "flags2.db"),
    ]);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toBe(
      "quantchat: prices.csv: cannot tell the series from the file name; pass --exchange, --symbol, --timeframe " +
        "(or name the file like binance_BTC-USDT_5m.csv.gz)\n",
    );
    expect(badResample.stderr).toBe("quantchat: --resample 5m: 5m is not coarser than 1h\n");
  });
});
