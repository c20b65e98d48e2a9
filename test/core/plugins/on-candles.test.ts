import { afterAll, describe, expect, it } from "vitest";
import { PluginFailure } from "../../../core/plugins/sandbox/failure.ts";
import { LocalSandbox } from "../../../core/plugins/sandbox/local.ts";
import type { SandboxSpec } from "../../../core/plugins/sandbox/protocol.ts";
import { StrategyRunner, type StrategyRunnerOptions } from "../../../core/strategy/runner.ts";
import { buildTimeline } from "../../../core/strategy/timeline.ts";
import { candlesFrom, inlineSpec } from "./helpers.ts";

// The onCandles hook's contract, through the real bootstrap in a real isolate and the real runner: what a
// batch hands the plugin, what ctx.target gives back and when it refuses, and what onCandles may not use.

const BTC = "BTC/USDT";
const ETH = "ETH/USDT";
const flat = { cash: 10_000, allocation: 10_000 };
const handles: LocalSandbox[] = [];
afterAll(async () => {
  for (const h of handles) await h.dispose();
});

async function started(
  code: string,
  options: Partial<StrategyRunnerOptions> = {},
  spec: Partial<SandboxSpec> = {},
): Promise<{ runner: StrategyRunner; logs: string[] }> {
  const sandbox = await LocalSandbox.create(inlineSpec(code, spec));
  handles.push(sandbox);
  const logs: string[] = [];
  const runner = new StrategyRunner({
    strategyId: "batch",
    symbols: [BTC],
    params: {},
    sandbox,
    onLog: (l) => logs.push(l.message),
    ...options,
  });
  expect(await runner.start({ snapshot: flat })).toBeUndefined();
  return { runner, logs };
}

/** Runs `code` over hourly candles of `closes` in one processCandles call. */
async function run(code: string, closes: readonly number[], options: Partial<StrategyRunnerOptions> = {}) {
  const { runner, logs } = await started(code, options);
  const result = await runner.processCandles({ [BTC]: candlesFrom(closes) }, { snapshot: flat });
  return { ...result, logs, runner };
}

const closes = Array.from({ length: 30 }, (_, i) => 100 + i);

describe("the batch onCandles receives", () => {
  it("holds the first symbol's columns, the times, the others through of() (NaN in a gap), and ctx.time", async () => {
    const eth = candlesFrom([10, 11, 12, 13]).filter((_, i) => i !== 1);
    const btc = candlesFrom([100, 101, 102, 103]);
    const code = `export default {
      onCandles(c, ctx) {
        const list = (a) => Array.from(a, (v) => (Number.isNaN(v) ? "NaN" : v));
        ctx.log.info(JSON.stringify({
          length: c.length, time: list(c.time), open: list(c.open), high: list(c.high), low: list(c.low),
          close: list(c.close), volume: list(c.volume), btc: list(c.of("${BTC}").close),
          primary: c.of("${ETH}").close === c.close, views: c.close instanceof Float64Array, time0: ctx.time,
        }));
      },
    };`;
    const { runner, logs } = await started(code, { symbols: [ETH, BTC] });
    const r = await runner.processCandles({ [ETH]: eth, [BTC]: btc }, { snapshot: flat });
    expect(r.failed).toBeUndefined();
    expect(r.reachedIndex).toBe(4);
    const ethAt = (field: "open" | "high" | "low" | "close" | "volume") =>
      btc.map((b) => eth.find((e) => e.time === b.time)?.[field] ?? "NaN");
    expect(JSON.parse(logs[0]!)).toEqual({
      length: 4,
      time: btc.map((c) => c.time),
      open: ethAt("open"),
      high: ethAt("high"),
      low: ethAt("low"),
      close: ethAt("close"),
      volume: ethAt("volume"),
      btc: btc.map((c) => c.close),
      primary: true,
      views: true,
      time0: btc[3]!.time,
    });
  });

  it("refuses of() for a symbol the instance does not trade", async () => {
    const r = await run(`export default { onCandles(c) { c.of("DOGE/USDT"); } };`, closes);
    expect(r.failed?.cause).toBe("error");
    expect(r.failed?.message).toMatch(/candles\.of: "DOGE\/USDT" is not one of BTC\/USDT/);
  });

  it("is the plugin's own: writing into it changes nothing the next batch reads", async () => {
    const code = `export default {
      onCandles(c, ctx) { ctx.log.info(String(c.close[0])); c.close.fill(-1); c.time.fill(0); },
    };`;
    const r = await run(code, closes, { batchSteps: 7 });
    expect(r.failed).toBeUndefined();
    expect(r.logs).toEqual(closes.filter((_, i) => i % 7 === 0).map(String));
  });

  it("lends the log the lines of the batch's steps: the burst of 20 plus one per further step", async () => {
    const r = await run(
      `export default { onCandles(c, ctx) { for (let k = 0; k < 100; k++) ctx.log.info("x" + k); } };`,
      closes,
    );
    expect(r.logs.filter((l) => l.startsWith("x"))).toHaveLength(20 + closes.length - 1);
    expect(r.logs.at(-1)).toBe(`${100 - 49} log line(s) dropped by the rate limit`);
  });
});

describe("ctx.target", () => {
  it("gives back targets at absolute steps, in order, however the candles are batched", async () => {
    const code = `export default {
      onCandles(c, ctx) {
        for (let i = 0; i < c.length; i++) {
          if (c.close[i] % 10 === 0) ctx.target(i, "long", { size: { fraction: 0.5 }, stopLoss: { pct: 2 }, reason: "ten" });
          if (c.close[i] % 10 === 5) ctx.target(i, "flat");
        }
      },
    };`;
    const expected = closes.flatMap((close, step) => {
      if (close % 10 === 0) {
        const target = {
          symbol: BTC,
          side: "long",
          size: { kind: "fraction", value: 0.5 },
          stopLoss: { pct: 2 },
          reason: "ten",
        };
        return [{ step, target }];
      }
      return close % 10 === 5
        ? [{ step, target: { symbol: BTC, side: "flat", size: { kind: "fraction", value: 1 } } }]
        : [];
    });
    for (const batchSteps of [1, 4, 1000]) {
      const r = await run(code, closes, { batchSteps });
      expect(r.failed).toBeUndefined();
      expect(r.intents).toEqual([]);
      expect(r.reachedIndex).toBe(closes.length);
      expect(r.targets).toEqual(expected);
    }
  });

  it("keeps one target per symbol and step: a later one replaces the earlier, in the place of the first", async () => {
    const code = `export default {
      onCandles(c, ctx) {
        ctx.target(1, "long", { symbol: "${BTC}" });
        ctx.target(1, "long", { symbol: "${ETH}", reason: "eth" });
        ctx.target(1, "short", { symbol: "${BTC}", reason: "second" });
        ctx.target(2, "flat", { symbol: "${BTC}" });
      },
    };`;
    const { runner } = await started(code, { symbols: [BTC, ETH] });
    const series = { [BTC]: candlesFrom([1, 2, 3]), [ETH]: candlesFrom([4, 5, 6]) };
    const r = await runner.processCandles(series, { snapshot: flat });
    expect(r.failed).toBeUndefined();
    const whole = { kind: "fraction", value: 1 };
    expect(r.targets).toEqual([
      { step: 1, target: { symbol: BTC, side: "short", size: whole, reason: "second" } },
      { step: 1, target: { symbol: ETH, side: "long", size: whole, reason: "eth" } },
      { step: 2, target: { symbol: BTC, side: "flat", size: whole } },
    ]);
  });

  it("refuses a target before an earlier one, even if the plugin catches the error", async () => {
    const code = `export default {
      onCandles(c, ctx) {
        ctx.target(3, "long");
        try { ctx.target(2, "flat"); } catch {}
      },
    };`;
    const r = await run(code, closes);
    expect(r.failed?.cause).toBe("invalid-output");
    expect(r.failed?.message).toMatch(
      /^ctx\.target: i = 2 comes after a target at 3; targets must come in non-decreasing i \(inline\/strategy\.js:4:\d+\)$/,
    );
    expect(r.targets).toEqual([]);
    expect(r.reachedIndex).toBe(0);
  });

  const malformed: [call: string, message: RegExp][] = [
    [`ctx.target(-1, "long")`, /i must be an integer from 0 to 29, got -1/],
    [`ctx.target(30, "long")`, /i must be an integer from 0 to 29, got 30/],
    [`ctx.target(1.5, "long")`, /got 1\.5/],
    [`ctx.target("3", "long")`, /got "3"/],
    [`ctx.target(0, "buy")`, /side must be "long", "short" or "flat", got "buy"/],
    [`ctx.target(0, "long", { type: "limit", limitPrice: 5 })`, /unknown field "type"/],
    [
      `ctx.target(0, "long", { size: { fraction: 2 } })`,
      /size\.fraction must be a number greater than 0 and at most 1/,
    ],
    [`ctx.target(0, "long", { symbol: "ETH/USDT" })`, /symbol "ETH\/USDT" is not one of BTC\/USDT/],
    [`ctx.target(0, "long", { trailingStop: { mode: "percent" } })`, /trailingStop\.pct must be a number/],
    [`ctx.target(0, "long", { reason: "r".repeat(201) })`, /longer than 200 characters/],
    [
      `for (let k = 0; k < 300; k++) ctx.target(0, "long", { reason: "r" + k })`,
      /more than 256 different orders in one batch/,
    ],
  ];
  for (const [call, message] of malformed) {
    it(`fails the instance with invalid-output for ${call}`, async () => {
      const r = await run(`export default { onCandles(c, ctx) { ${call}; } };`, closes);
      expect(r.failed?.cause).toBe("invalid-output");
      expect(r.failed?.message).toMatch(message);
    });
  }

  it("takes any number of targets that share a few orders, and reads an order that can change at every call", async () => {
    const code = `
      const fixed = Object.freeze({ size: Object.freeze({ fraction: 0.25 }), reason: "frozen" });
      const changing = { reason: "first" };
      export default {
        onCandles(c, ctx) {
          for (let i = 0; i < c.length; i++) ctx.target(i, i % 2 === 0 ? "long" : "short", fixed);
          ctx.target(c.length - 1, "flat", changing);
          changing.reason = "second";
          ctx.target(c.length - 1, "flat", changing);
        },
      };`;
    const n = 3000;
    const r = await run(
      code,
      Array.from({ length: n }, (_, i) => 100 + (i % 50)),
      { batchSteps: n },
    );
    expect(r.failed).toBeUndefined();
    expect(r.targets).toHaveLength(n);
    expect(r.targets?.[0]).toEqual({
      step: 0,
      target: { symbol: BTC, side: "long", size: { kind: "fraction", value: 0.25 }, reason: "frozen" },
    });
    expect(r.targets?.[n - 1]?.target).toEqual({
      symbol: BTC,
      side: "flat",
      size: { kind: "fraction", value: 1 },
      reason: "second",
    });
  });

  it("drops the targets of warm-up batches, which see ctx.warmup true", async () => {
    const code = `export default {
      onCandles(c, ctx) { ctx.log.info(c.close[0] + ":" + ctx.warmup); for (let i = 0; i < c.length; i++) ctx.target(i, "long"); },
    };`;
    const stored = candlesFrom([1, 2, 3, 4, 5]);
    const { runner, logs } = await started(code, { warmup: 3 });
    expect(await runner.start({ snapshot: flat, warmup: { [BTC]: stored } })).toBeUndefined();
    const live = candlesFrom([6, 7], stored[4]!.time + 3_600_000);
    const r = await runner.processCandles({ [BTC]: live }, { snapshot: flat });
    expect(logs).toEqual(["3:true", "6:false"]);
    expect(r.targets?.map((t) => t.step)).toEqual([0, 1]);
  });
});

describe("what onCandles may not use", () => {
  for (const member of ["ctx.position()", "ctx.balance", "ctx.buy()", "ctx.sell()", "ctx.close()"]) {
    it(`${member} throws, naming onCandles and ctx.target`, async () => {
      const r = await run(`export default { onCandles(c, ctx) { ${member}; } };`, closes);
      expect(r.failed?.cause).toBe("error");
      const name = member.replace(/[().]/g, (ch) => `\\${ch}`);
      expect(r.failed?.message).toMatch(
        new RegExp(`PluginUsageError: ${name} is not available in onCandles: .*ctx\\.target\\(i, side, order\\)`),
      );
    });
  }

  it("ctx.target throws outside onCandles; onStop still sees the position and may close it", async () => {
    const inInit = await LocalSandbox.create(
      inlineSpec(`export default { init(ctx) { ctx.target(0, "long"); }, onCandles() {} };`),
    );
    handles.push(inInit);
    const init = await inInit.init({ params: {}, symbols: [BTC], state: null, snapshot: flat });
    expect(init.failure?.message).toMatch(/ctx\.target is only allowed in onCandles \(called in init\)/);

    const code = `export default {
      onCandles() {},
      onStop(ctx) { ctx.log.info("held " + ctx.position().quantity); ctx.close({ reason: "stop" }); },
    };`;
    const { runner, logs } = await started(code);
    await runner.processCandles({ [BTC]: candlesFrom([1, 2]) }, { snapshot: flat });
    const r = await runner.stop({ ...flat, positions: { [BTC]: { quantity: 3, entryPrice: 1 } } });
    expect(logs).toEqual(["held 3"]);
    expect(r.intents.map((e) => [e.intent.side, e.intent.reduceOnly, e.intent.reason])).toEqual([
      ["sell", true, "stop"],
    ]);
  });

  for (const other of ["onCandle", "onBar", "onFill"]) {
    it(`exporting onCandles with ${other} is a load error`, async () => {
      const error = await LocalSandbox.create(inlineSpec(`export default { onCandles() {}, ${other}() {} };`)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PluginFailure);
      expect((error as PluginFailure).message).toMatch(
        new RegExp(`onCandles cannot be exported together with ${other}: onCandles never sees fills or positions`),
      );
    });
  }
});

describe("the CPU budget of a batch", () => {
  // cpuMsPerCall 5: a batch of n candles may use 5 ms for each. The first call of an isolate gets the cold
  // allowance (10 x), so each plugin runs one warm batch first.
  const spin = (ms: number) => `{ const until = Date.now() + ${ms}; while (Date.now() < until); }`;
  const limits = { memoryMb: 16, cpuMsPerCall: 5 };

  it("is cpuMsPerCall for every candle in it: a batch may use far more than one call's worth", async () => {
    const code = `let calls = 0; export default { onCandles(c) { if (calls++ > 0) ${spin(20)} } };`;
    const sandbox = await LocalSandbox.create(inlineSpec(code, { limits }));
    handles.push(sandbox);
    const runner = new StrategyRunner({ strategyId: "cpu", symbols: [BTC], params: {}, sandbox, batchSteps: 40 });
    await runner.start({ snapshot: flat });
    const r = await runner.processCandles(buildTimeline({ [BTC]: candlesFrom(new Array(160).fill(1)) }), {
      snapshot: flat,
    });
    expect(r.failed).toBeUndefined();
    expect(r.reachedIndex).toBe(160);
  });

  it("stops a batch that loops, naming its budget: steps x cpuMsPerCall", async () => {
    const code = `let calls = 0; export default { onCandles(c) { if (calls++ > 0) for (;;); } };`;
    const sandbox = await LocalSandbox.create(inlineSpec(code, { limits }));
    handles.push(sandbox);
    const runner = new StrategyRunner({ strategyId: "loop", symbols: [BTC], params: {}, sandbox, batchSteps: 40 });
    await runner.start({ snapshot: flat });
    const r = await runner.processCandles({ [BTC]: candlesFrom(new Array(160).fill(1)) }, { snapshot: flat });
    expect(r.failed?.cause).toBe("timeout");
    expect(r.failed?.message).toMatch(/its CPU limit is 200 ms/);
    expect(r.reachedIndex).toBe(40);
  });
});
