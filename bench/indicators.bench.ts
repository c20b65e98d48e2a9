import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { gunzipSync } from "node:zlib";
import { IndicatorsSync } from "@ixjb94/indicators";
import * as ti from "technicalindicators";
import * as ta from "../core/indicators/index.ts";
import type { Benchmark, BenchResult } from "./types.ts";

// Indicator throughput against technicalindicators and @ixjb94/indicators over ~1M real candles (issue 3):
// - vs technicalindicators: our streaming `update()` against its streaming `nextValue()`, one value at a time,
//   which is how a live strategy feeds an indicator (target >= 5x);
// - vs @ixjb94/indicators, which only computes whole arrays: our batch helper against its batch function
//   (target >= 1x). Ours reads Float64Array columns (CandleColumns), theirs number[] (its API).
// Every figure is updates per second: the best timed run, in CPU time, after two warm-up runs; ratio = ours / peer.
//
// Each side of each figure is measured in its own worker thread, i.e. its own V8 isolate, alternately (ours,
// peer, ours, peer). Sharing one isolate made the figures depend on the order of the runs: after the peer's
// code and garbage had run, ours needed several runs to get back to speed and often did not within the
// measurement, while in a strategy process our indicators never share the JIT and the heap with another
// indicator library. The candles are loaded once and shared with the workers (SharedArrayBuffer).

/** Candle columns as our batch helpers take them, and as plain arrays for the peers. */
interface Data {
  readonly n: number;
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
  readonly H: Float64Array;
  readonly L: Float64Array;
  readonly C: Float64Array;
  readonly V: Float64Array;
}

/** What the main thread hands a worker: the columns in shared memory and which side of which case to time. */
interface Job {
  readonly indicatorsBench: true;
  readonly caseIndex: number;
  readonly side: "ours" | "peer";
  readonly columns: readonly [SharedArrayBuffer, SharedArrayBuffer, SharedArrayBuffer, SharedArrayBuffer];
  readonly minSeconds: number;
}

interface Case {
  readonly name: string;
  readonly ours: (d: Data) => number;
  readonly peer: (d: Data) => number;
  readonly peerName: string;
  readonly target: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const FILES = [
  "binance_BTC-USDT_1m.csv.gz",
  "binance_ETH-USDT_1m.csv.gz",
  "binance_BTC-USDT_5m.csv.gz",
  "binance_ETH-USDT_5m.csv.gz",
];
const FULL_ROWS = 1_000_000;
const QUICK_ROWS = 100_000;
const TI = "technicalindicators nextValue";
const IX = "@ixjb94/indicators";
const TI_TARGET = ">= 5x";
const IX_TARGET = ">= 1x";

const indicators: Benchmark = async ({ quick }) => {
  const columns = quick ? synthetic(QUICK_ROWS) : shipped(FULL_ROWS);
  const minSeconds = quick ? 0.1 : 0.5;
  const rounds = quick ? 1 : 2;
  // INDICATORS_ONLY=stochastic,adx narrows a run to the figures whose name contains one of the words.
  const only = process.env["INDICATORS_ONLY"]?.split(",").filter(Boolean) ?? [];
  const results: BenchResult[] = [];
  const all = cases();
  for (let caseIndex = 0; caseIndex < all.length; caseIndex++) {
    const c = all[caseIndex]!;
    if (only.length > 0 && !only.some((word) => c.name.includes(word))) continue;
    let ours = 0;
    let peer = 0;
    for (let round = 0; round < rounds; round++) {
      ours = Math.max(ours, await inWorker({ indicatorsBench: true, caseIndex, side: "ours", columns, minSeconds }));
      peer = Math.max(peer, await inWorker({ indicatorsBench: true, caseIndex, side: "peer", columns, minSeconds }));
    }
    results.push({
      name: c.name,
      value: ours,
      unit: "updates/s",
      reference: c.peerName,
      referenceValue: peer,
      ratio: ours / peer,
      target: c.target,
    });
  }
  return results;
};

export default indicators;

/** Runs a job in a fresh worker (TypeScript through tsx, as the runner) and resolves with its rate. */
function inWorker(job: Job): Promise<number> {
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: job });
    worker.once("message", (value: number) => {
      resolve(value);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`indicator benchmark worker exited with ${code}`));
    });
  });
}

/**
 * Updates per second of the best timed run: two warm-up runs (the JIT has optimised the loop by then), then
 * runs until there were 3 and `minSeconds` have passed. CPU time of the process (the main thread only waits),
 * so other processes' load on a shared machine does not decide the figure.
 */
function rate(fn: (d: Data) => number, data: Data, minSeconds: number): number {
  let sink = fn(data) + fn(data);
  let best = Number.POSITIVE_INFINITY;
  let spent = 0;
  for (let runs = 0; runs < 3 || spent < minSeconds; runs++) {
    const start = process.cpuUsage();
    sink += fn(data);
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
    best = Math.min(best, seconds);
    spent += seconds;
  }
  // Using the results keeps the JIT from dropping the work; NaN would mean a broken case.
  if (Number.isNaN(sink)) throw new Error("benchmark produced NaN");
  return data.n / best;
}

/**
 * Keeps the latest indicator reachable from outside the timed function, as a strategy's indicator lives in
 * its context: an object that never escapes can be dissolved into registers, which would time a loop no
 * strategy runs.
 */
const holder: { kept: unknown } = { kept: undefined };
function keepAlive<T>(indicator: T): T {
  holder.kept = indicator;
  return indicator;
}

/** The last value of a batch output (0 if still warming up), so the work cannot be optimised away. */
function last(values: ArrayLike<number>): number {
  const v = values[values.length - 1];
  return v === undefined || Number.isNaN(v) ? 0 : v;
}

function cases(): Case[] {
  const ix = new IndicatorsSync();
  const stream = (name: string, ours: Case["ours"], peer: Case["peer"]): Case => ({
    name: `${name} update`,
    ours,
    peer,
    peerName: TI,
    target: TI_TARGET,
  });
  const batch = (name: string, ours: Case["ours"], peer: Case["peer"], peerName = IX): Case => ({
    name: `${name} batch`,
    ours,
    peer,
    peerName,
    target: IX_TARGET,
  });
  return [
    stream(
      "sma(20)",
      (d) => {
        const ind = keepAlive(new ta.Sma(20));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.C[i]!) ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.SMA({ period: 20, values: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.nextValue(d.close[i]!) ?? 0;
        return acc;
      },
    ),
    batch(
      "sma(20)",
      (d) => last(ta.sma(d.C, 20)),
      (d) => last(ix.sma(d.close, 20)),
    ),
    stream(
      "ema(20)",
      (d) => {
        const ind = keepAlive(new ta.Ema(20));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.C[i]!) ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.EMA({ period: 20, values: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.nextValue(d.close[i]!) ?? 0;
        return acc;
      },
    ),
    batch(
      "ema(20)",
      (d) => last(ta.ema(d.C, 20)),
      (d) => last(ix.ema(d.close, 20)),
    ),
    stream(
      "wma(20)",
      (d) => {
        const ind = keepAlive(new ta.Wma(20));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.C[i]!) ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.WMA({ period: 20, values: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.nextValue(d.close[i]!) ?? 0;
        return acc;
      },
    ),
    batch(
      "wma(20)",
      (d) => last(ta.wma(d.C, 20)),
      (d) => last(ix.wma(d.close, 20)),
    ),
    stream(
      "rsi(14)",
      (d) => {
        const ind = keepAlive(new ta.Rsi(14));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.C[i]!) ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.RSI({ period: 14, values: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.nextValue(d.close[i]!) ?? 0;
        return acc;
      },
    ),
    batch(
      "rsi(14)",
      (d) => last(ta.rsi(d.C, 14)),
      (d) => last(ix.rsi(d.close, 14)),
    ),
    stream(
      "macd(12,26,9)",
      (d) => {
        const ind = keepAlive(new ta.Macd(12, 26, 9));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.C[i]!)?.histogram ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(
          new ti.MACD({
            values: [],
            fastPeriod: 12,
            slowPeriod: 26,
            signalPeriod: 9,
            SimpleMAOscillator: false,
            SimpleMASignal: false,
          }),
        );
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.nextValue(d.close[i]!)?.histogram ?? 0;
        return acc;
      },
    ),
    batch(
      "macd(12,26,9)",
      (d) => last(ta.macd(d.C, 12, 26, 9).histogram),
      (d) => last(ix.macd(d.close, 12, 26, 9)[2]!),
    ),
    stream(
      "bollinger(20,2)",
      (d) => {
        const ind = keepAlive(new ta.Bollinger(20, 2));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.C[i]!)?.upper ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.BollingerBands({ period: 20, stdDev: 2, values: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.nextValue(d.close[i]!)?.upper ?? 0;
        return acc;
      },
    ),
    batch(
      "bollinger(20,2)",
      (d) => last(ta.bollinger(d.C, 20, 2).upper),
      (d) => last(ix.bbands(d.close, 20, 2)[2]!),
    ),
    stream(
      "atr(14)",
      (d) => {
        const ind = keepAlive(new ta.Atr(14));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.H[i]!, d.L[i]!, d.C[i]!) ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.ATR({ period: 14, high: [], low: [], close: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++)
          acc += ind.nextValue({ high: d.high[i]!, low: d.low[i]!, close: d.close[i]! }) ?? 0;
        return acc;
      },
    ),
    batch(
      "atr(14)",
      (d) => last(ta.atr(d.H, d.L, d.C, 14)),
      (d) => last(ix.atr(d.high, d.low, d.close, 14)),
    ),
    stream(
      "stochastic(14,1,3) fast",
      (d) => {
        const ind = keepAlive(new ta.Stochastic(14, 1, 3));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.H[i]!, d.L[i]!, d.C[i]!)?.d ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.Stochastic({ period: 14, signalPeriod: 3, high: [], low: [], close: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) {
          acc += ind.nextValue({ high: d.high[i]!, low: d.low[i]!, close: d.close[i]! } as never)?.d ?? 0;
        }
        return acc;
      },
    ),
    batch(
      "stochastic(14,3,3)",
      (d) => last(ta.stochastic(d.H, d.L, d.C, 14, 3, 3).d),
      (d) => last(ix.stoch(d.high, d.low, d.close, 14, 3, 3)[1]!),
    ),
    stream(
      "adx(14) with +DI/-DI",
      (d) => {
        const ind = keepAlive(new ta.Adx(14));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.H[i]!, d.L[i]!, d.C[i]!)?.adx ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.ADX({ period: 14, high: [], low: [], close: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) {
          acc += ind.nextValue({ high: d.high[i]!, low: d.low[i]!, close: d.close[i]! } as never)?.adx ?? 0;
        }
        return acc;
      },
    ),
    batch(
      "adx(14) with +DI/-DI",
      (d) => last(ta.adx(d.H, d.L, d.C, 14).adx),
      (d) => last(ix.adx(d.high, d.low, 14)),
      `${IX} adx (no DI)`,
    ),
    stream(
      "obv",
      (d) => {
        const ind = keepAlive(new ta.Obv());
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.C[i]!, d.V[i]!);
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.OBV({ close: [], volume: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.nextValue({ close: d.close[i]!, volume: d.volume[i]! } as never) ?? 0;
        return acc;
      },
    ),
    batch(
      "obv",
      (d) => last(ta.obv(d.C, d.V)),
      (d) => last(ix.obv(d.close, d.volume)),
    ),
    stream(
      "vwap (cumulative)",
      (d) => {
        const ind = keepAlive(new ta.Vwap());
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.H[i]!, d.L[i]!, d.C[i]!, d.V[i]!) ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.VWAP({ high: [], low: [], close: [], volume: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) {
          acc += ind.nextValue({ high: d.high[i]!, low: d.low[i]!, close: d.close[i]!, volume: d.volume[i]! }) ?? 0;
        }
        return acc;
      },
    ),
    stream(
      "donchian(20)",
      (d) => {
        const ind = keepAlive(new ta.Donchian(20));
        let acc = 0;
        for (let i = 0; i < d.n; i++) {
          const out = ind.update(d.H[i]!, d.L[i]!);
          if (out) acc += out.upper + out.lower;
        }
        return acc;
      },
      (d) => {
        // technicalindicators has no Donchian; its highest and lowest are the two halves of one.
        const hi = keepAlive(new ti.Highest({ period: 20, values: [] }));
        const lo = keepAlive(new ti.Lowest({ period: 20, values: [] }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += (hi.nextValue(d.high[i]!) ?? 0) + (lo.nextValue(d.low[i]!) ?? 0);
        return acc;
      },
    ),
    batch(
      "donchian(20)",
      (d) => last(ta.donchian(d.H, d.L, 20).upper),
      (d) => last(ix.dc(d.high, d.low, 20)[0]!),
      `${IX} dc`,
    ),
    batch(
      "donchian(20)",
      (d) => last(ta.donchian(d.H, d.L, 20).upper),
      (d) => last(ix.max(d.high, 20)) + last(ix.min(d.low, 20)),
      `${IX} max + min`,
    ),
    stream(
      "parabolicSar(0.02,0.2)",
      (d) => {
        const ind = keepAlive(new ta.ParabolicSar(0.02, 0.2));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.update(d.H[i]!, d.L[i]!)?.value ?? 0;
        return acc;
      },
      (d) => {
        const ind = keepAlive(new ti.PSAR({ high: [], low: [], step: 0.02, max: 0.2 }));
        let acc = 0;
        for (let i = 0; i < d.n; i++) acc += ind.nextValue({ high: d.high[i]!, low: d.low[i]! } as never) ?? 0;
        return acc;
      },
    ),
    batch(
      "parabolicSar(0.02,0.2)",
      (d) => last(ta.parabolicSar(d.H, d.L, 0.02, 0.2).value),
      (d) => last(ix.psar(d.high, d.low, 0.02, 0.2)),
    ),
  ];
}

/** The shipped 1m and 5m candles of BTC and ETH, concatenated up to `rows`, in shared memory. */
function shipped(rows: number): Job["columns"] {
  const columns = shared(rows);
  const [H, L, C, V] = columns.map((buffer) => new Float64Array(buffer)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let n = 0;
  for (const file of FILES) {
    const local = path.join(here, "..", "data", file);
    const full = existsSync(local) ? local : path.resolve(import.meta.dirname, "../../shared/data", file);
    const lines = gunzipSync(readFileSync(full)).toString("utf8").split("\n");
    for (let i = 1; i < lines.length && n < rows; i++) {
      const line = lines[i]!;
      if (!line) continue;
      const f = line.split(",");
      H[n] = Number(f[2]);
      L[n] = Number(f[3]);
      C[n] = Number(f[4]);
      V[n] = Number(f[5]);
      n++;
    }
  }
  if (n < rows) throw new Error(`only ${n} candles in ${FILES.join(", ")}`);
  return columns;
}

/** A deterministic random walk with plausible candles, for --quick runs. */
function synthetic(rows: number): Job["columns"] {
  const columns = shared(rows);
  const [H, L, C, V] = columns.map((buffer) => new Float64Array(buffer)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let seed = 42;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  let price = 30_000;
  for (let i = 0; i < rows; i++) {
    const open = price;
    price *= 1 + (random() - 0.5) * 0.004;
    H[i] = Math.max(open, price) * (1 + random() * 0.001);
    L[i] = Math.min(open, price) * (1 - random() * 0.001);
    C[i] = price;
    V[i] = random() * 10;
  }
  return columns;
}

function shared(rows: number): Job["columns"] {
  const make = () => new SharedArrayBuffer(rows * Float64Array.BYTES_PER_ELEMENT);
  return [make(), make(), make(), make()];
}

// In a worker started by inWorker: time one side of one case and report its rate. Last in the module, so
// that every declaration above is initialised.
if (!isMainThread && (workerData as Job | undefined)?.indicatorsBench) {
  const job = workerData as Job;
  const [H, L, C, V] = job.columns.map((buffer) => new Float64Array(buffer).slice());
  const data: Data = {
    n: C!.length,
    high: Array.from(H!),
    low: Array.from(L!),
    close: Array.from(C!),
    volume: Array.from(V!),
    H: H!,
    L: L!,
    C: C!,
    V: V!,
  };
  const c = cases()[job.caseIndex]!;
  parentPort!.postMessage(rate(job.side === "ours" ? c.ours : c.peer, data, job.minSeconds));
}
