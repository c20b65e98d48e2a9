import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forkChild } from "../../../core/backtest/child-process.ts";
import {
  BacktestError,
  prepareBacktest,
  runBacktest,
  runBacktestInProcess,
  runInChild,
} from "../../../core/backtest/index.ts";
import type { CandleColumns } from "../../../core/domain/index.ts";
import { createLogger } from "../../../core/log.ts";
import { writeCacheFile } from "../../../core/market/cache-file.ts";
import {
  type BacktestWorld,
  backtestWorld,
  hourly,
  PLUGINS,
  settings,
  storeCandles,
} from "../trading/backtest-helpers.ts";

// How runBacktest starts its child: a compiled bundle of child.ts (cached), forked while the candles
// load; the tsx entry when no bundle can be kept.

const KEY = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" as const };

let w: BacktestWorld;
let bundleDir: string;
beforeAll(async () => {
  w = await backtestWorld("run-child");
  bundleDir = path.join(w.dir, "bundles");
  await storeCandles(w.store, KEY, hourly([10, 10, 10, 10, 12, 14, 12, 9, 8, 10, 13, 14]));
});
afterAll(async () => {
  await w?.cleanup();
});

const options = () => ({ store: w.store, cacheDir: w.cacheDir, pluginRoots: [PLUGINS] });

/** The names of this process's child processes (ps itself left out). */
function children(): string[] {
  const ps = spawnSync("ps", ["-o", "comm=", "--ppid", String(process.pid)], { encoding: "utf8" });
  return ps.stdout.split("\n").filter((name) => name && name !== "ps");
}

/** A logger whose lines are collected, and the lines that mention `text`. */
function collectingLog() {
  let output = "";
  const log = createLogger({
    destination: {
      write: (line: string) => {
        output += line;
      },
    },
  });
  return { log, lines: (text: string) => output.split("\n").filter((line) => line.includes(text)) };
}

describe("runBacktest's child", () => {
  it("runs from the compiled bundle it keeps, with the same run as in process", async () => {
    const forked = await runBacktest(settings(), { ...options(), bundleDir });
    expect(readdirSync(bundleDir)).toEqual([expect.stringMatching(/^child-[0-9a-f]+\.mjs$/)]);
    expect(JSON.stringify(forked)).toBe(JSON.stringify(await runBacktestInProcess(settings(), options())));
  });

  it("is killed when preparing fails, and the caller gets preparing's error", async () => {
    const failing = runBacktest(settings({ plugin: "nope" }), { ...options(), bundleDir });
    await expect(failing).rejects.toThrow(BacktestError);
    await expect(failing).rejects.toThrow(/no plugin "nope"/);
    expect(children()).toEqual([]);
  });

  it("is stopped by the watchdog when it says nothing for stallMs, and leaves no process behind", async () => {
    // 20 ms: less than the child takes to start, so it is killed before its first word.
    await expect(runBacktest(settings(), { ...options(), bundleDir, stallMs: 20 })).rejects.toThrow(
      /the backtest said nothing for 0\.02 s and was stopped/,
    );
    expect(children()).toEqual([]);
  });

  it("runs through tsx when no bundle can be kept, and the log says so once", async () => {
    writeFileSync(path.join(w.dir, "a-file"), "where the bundle folder's parent should be");
    const unusable = path.join(w.dir, "a-file", "bundles");
    const { log, lines } = collectingLog();
    const local = JSON.stringify(await runBacktestInProcess(settings(), options()));
    for (let i = 0; i < 2; i++) {
      const forked = await runBacktest(settings(), { ...options(), bundleDir: unusable, log });
      expect(JSON.stringify(forked)).toBe(local);
    }
    const warnings = lines("cannot use a compiled child.ts");
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] as string)).toMatchObject({ level: 40 });
  });

  it("reads its candles from the cache file the input points at, and asks for them when the file is gone", async () => {
    const local = JSON.stringify(await runBacktestInProcess(settings(), options()));
    const input = await prepareBacktest(settings(), options());
    const file = input.candleFiles?.["BTC/USDT"]?.file;
    expect(file).toBe(path.resolve(w.cacheDir, "candles", "binance_BTC-USDT_1h.bin"));

    const read = collectingLog();
    expect(JSON.stringify(await runInChild(input, { bundleDir, log: read.log }))).toBe(local);
    expect(read.lines("could not read the candle cache")).toEqual([]);

    // An import (or a wiped cache) between preparing and the child's read: the child cannot trust the
    // file, so the parent sends the candles it loaded, and the run is the same.
    rmSync(file as string);
    const asked = collectingLog();
    expect(JSON.stringify(await runInChild(input, { bundleDir, log: asked.log }))).toBe(local);
    const warnings = asked.lines("could not read the candle cache");
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] as string)).toMatchObject({ level: 40, reason: expect.stringMatching(/missing$/) });

    // A file under the same stamp whose rows are not the input's (written by hand here): the child
    // checks count, first and last open time against what the parent holds, and asks.
    const slice = input.candleFiles?.["BTC/USDT"];
    if (!slice) throw new Error("no slice");
    const held = input.candles["BTC/USDT"] as CandleColumns;
    const shifted = { ...held, time: held.time.map((t) => t + 1) };
    writeCacheFile(slice.file, slice.key, { ...slice.stamp, count: held.time.length }, shifted);
    const checked = collectingLog();
    expect(JSON.stringify(await runInChild(input, { bundleDir, log: checked.log }))).toBe(local);
    expect(JSON.parse(checked.lines("could not read the candle cache")[0] as string)).toMatchObject({
      reason: expect.stringMatching(/are not the input's BTC\/USDT candles$/),
    });
  });
});

// The child runs a plugin, so the parent believes nothing it says unchecked. These children are
// scripts that break the protocol on purpose: what one could do if a plugin got out of its isolate.
describe("a backtest child that breaks the protocol", () => {
  const HOSTILE = path.resolve(import.meta.dirname, "../../fixtures/backtest-child");

  it("gets the candles once; asking again ends the run, and the child is killed", async () => {
    const input = await prepareBacktest(settings(), options());
    expect(input.candleFiles).toBeDefined();
    const { log, lines } = collectingLog();
    const child = forkChild(path.join(HOSTILE, "asks-twice.mjs"), { stallMs: 10_000, log });
    await expect(child.run(input)).rejects.toThrow(/the backtest process asked for the candles twice/);
    const sent = lines("sending the candles");
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0] as string)).toMatchObject({ reason: "first ask" });
    expect(children()).toEqual([]);
  });

  it("asking before its run was sent ends the run, and the child is killed", async () => {
    const input = await prepareBacktest(settings(), options());
    const child = forkChild(path.join(HOSTILE, "asks-early.mjs"), { stallMs: 10_000 });
    await expect(child.run(input)).rejects.toThrow(/asked for candles before its run was sent/);
    expect(children()).toEqual([]);
  });
});
