import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MINIMAL } from "./helpers.ts";

const repo = path.resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(path.join(tmpdir(), "quantchat-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to a temp file and returns its path. */
function tempFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Runs the real CLI as a user would, with only the environment given (plus PATH). */
function quantchat(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--no-node-snapshot", "bin/quantchat.js", ...args],
      { cwd: repo, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("quantchat config check", () => {
  it("prints ok and a summary for a valid file and exits 0", async () => {
    const file = tempFile("good.yaml", MINIMAL);
    const result = await quantchat(["config", "check", file]);
    expect(result).toEqual({ code: 0, stdout: `ok: ${file} has 1 account and 1 strategy (1 enabled)\n`, stderr: "" });
  });

  it("prints each problem with its position and exits 1", async () => {
    const file = tempFile(
      "bad.yaml",
      MINIMAL.replace("timeframe: 1h", "timeframe: 1H").replace("account: paper", "account: papr"),
    );
    const result = await quantchat(["config", "check", file]);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split("\n")).toEqual([
      `${file}:8:14 strategies[0].account: unknown account "papr" (did you mean "paper"?)`,
      `${file}:10:16 strategies[0].timeframe: expected one of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, 1w, got "1H" (did you mean "1h"?)`,
    ]);
    expect(result.stderr).toBe("quantchat: 2 configuration problems\n");
  });

  it("checks the exchange id against ccxt's list", async () => {
    const file = tempFile("exchange.yaml", MINIMAL.replace("exchange: binance", "exchange: binanse"));
    const result = await quantchat(["config", "check", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `${file}:3:15 accounts[0].exchange: unknown exchange "binanse" (did you mean "binance"?)\n`,
    );
  });

  it("validates the environment too, never printing a secret", async () => {
    const file = tempFile("env.yaml", MINIMAL);
    const result = await quantchat(["config", "check", file], {
      PORT: "abc",
      TELEGRAM_BOT_TOKEN: "leaked-secret-value",
    });
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split("\n")).toEqual([
      'PORT: expected an integer from 1 to 65535, got "abc"',
      'TELEGRAM_BOT_TOKEN: expected a bot token from @BotFather like "123456:ABC-DEF...", got 19 characters (value not shown)',
    ]);
    expect(result.stdout + result.stderr).not.toContain("leaked-secret-value");
    // --no-env leaves the environment alone.
    expect((await quantchat(["config", "check", "--no-env", file], { PORT: "abc" })).code).toBe(0);
  });

  it("reads the file QUANTCHAT_CONFIG names when none is given", async () => {
    const file = tempFile("from-env.yaml", "accounts: oops\n");
    const result = await quantchat(["config", "check"], { QUANTCHAT_CONFIG: file });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${file}:1:11 accounts: expected a list of accounts, got "oops"\n`);
  });

  it("names a missing file", async () => {
    const result = await quantchat(["config", "check", "no/such/file.yaml"]);
    expect(result).toEqual({
      code: 1,
      stdout: "no/such/file.yaml: file not found\n",
      stderr: "quantchat: 1 configuration problem\n",
    });
  });

  it("checks the shipped strategies.yaml by default", async () => {
    const result = await quantchat(["config", "check"]);
    expect(result).toEqual({
      code: 0,
      stdout: "ok: strategies.yaml has 1 account and 2 strategies (2 enabled)\n",
      stderr: "",
    });
  });
});
