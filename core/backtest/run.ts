import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cachedEntry, compiledEntry } from "../util/compiled-entry.ts";
import { asChildMessage, type CandlesReply, candleRows, type RunRequest } from "./child-protocol.ts";
import { BacktestError } from "./errors.ts";
import type { BacktestInput } from "./input.ts";
import { type PrepareOptions, prepareBacktest } from "./prepare.ts";
import type { BacktestRun, BacktestSettings } from "./types.ts";
import { fromWire } from "./wire.ts";

export interface RunBacktestOptions extends PrepareOptions {
  /** Steps replayed so far and in all, about 200 times a run. */
  readonly onProgress?: (done: number, total: number) => void;
  /** The executor's ledger in the child: "memory" (default) or "store" (SQLite in memory, as live); see SimulateOptions. */
  readonly ledger?: "store" | "memory";
  /** The child is killed when it has said nothing for this long (a plugin that wedged it). Default 120 s. */
  readonly stallMs?: number;
  /** Node heap of the child in MB. Default 4096: a million-step run holds its equity curve twice. */
  readonly heapMb?: number;
  /** Where the child's compiled bundle is kept; the package's node_modules/.cache/quantchat by default. */
  readonly bundleDir?: string;
  /**
   * A child started earlier with startBacktestChild, so that it loads while the caller checks its input
   * (the CLI's flags, the store); runBacktest starts its own otherwise.
   */
  readonly child?: BacktestChild;
}

const SOURCE = fileURLToPath(new URL("./child.ts", import.meta.url));
// The child through tsx, when no compiled bundle of child.ts can be had.
const FALLBACK = fileURLToPath(new URL("./child-entry.js", import.meta.url));

/**
 * Runs a backtest: prepares it here (the store, the candle cache and the plugin folders are here),
 * then simulates it in a child process with the plugin's isolate inside, so that a hostile or broken
 * plugin can at worst take that process down, never the caller. The child is started first and loads
 * while the candles load here; progress and the result come back over IPC; a child silent for
 * `stallMs` is killed. Throws BacktestError (or prepareBacktest's error, the child then killed).
 * @example
 * const run = await runBacktest(
 *   { plugin: "sma-cross", exchange: "binance", symbols: ["BTC/USDT"], timeframe: "1h", params: { fast: 10, slow: 30 },
 *     cash: 10_000, fees: { kind: "percent", makerPct: 0.1, takerPct: 0.1 }, slippageBps: 2, fill: "next-open",
 *     allowShort: false, risk: null, closeAtEnd: true },
 *   { store, cacheDir: "var", pluginRoots: ["plugins"], onProgress: (done, total) => bar.update(done / total) },
 * );
 * run.trades.length // 41
 */
export async function runBacktest(settings: BacktestSettings, options: RunBacktestOptions): Promise<BacktestRun> {
  const child = options.child ?? startChild(options);
  let input: BacktestInput;
  try {
    input = await prepareBacktest(settings, options);
  } catch (error) {
    await child.cancel();
    throw error;
  }
  return child.run(input, options.onProgress);
}

/**
 * Starts a backtest child ahead of its run: it takes about 0.15 s to load, which can overlap the
 * caller's own checks. Give it to runBacktest (`child`), or cancel it when there is nothing to run.
 * @example const child = startBacktestChild(); try { await runBacktest(settings, { ...options, child }) } finally { await child.cancel() }
 */
export function startBacktestChild(options: ChildOptions = {}): BacktestChild {
  return startChild(options);
}

/**
 * Simulates a prepared backtest in a child process (see runBacktest).
 * @example const run = await runInChild(await prepareBacktest(settings, options), { stallMs: 60_000 })
 */
export function runInChild(input: BacktestInput, options: ChildOptions = {}): Promise<BacktestRun> {
  return startChild(options).run(input);
}

type ChildOptions = Pick<RunBacktestOptions, "onProgress" | "ledger" | "stallMs" | "heapMb" | "bundleDir" | "log">;

/** A backtest child on its way up: give it the prepared input, or stop it. */
export interface BacktestChild {
  /**
   * Sends the input (as soon as the child is ready) and resolves with the run; rejects with BacktestError.
   * `onProgress`, when given, replaces the one the child was started with.
   */
  run(input: BacktestInput, onProgress?: (done: number, total: number) => void): Promise<BacktestRun>;
  /** Kills the child (unless it already answered) and waits until it is gone. */
  cancel(): Promise<void>;
}

/**
 * Forks the child now when child.ts's bundle is cached and fresh (checked synchronously, so the fork
 * comes before the caller's own synchronous work), else once it is built (or with the tsx entry).
 */
function startChild(options: ChildOptions): BacktestChild {
  const { bundleDir: dir, log } = options;
  const ready = cachedEntry(SOURCE, { dir });
  if (ready) return forkChild(ready, options);
  const warn = log ? (message: string) => log.warn(message) : undefined;
  const later = compiledEntry(SOURCE, FALLBACK, { dir, warn }).then((entry) => forkChild(entry, options));
  return {
    run: (input, onProgress) => later.then((c) => c.run(input, onProgress)),
    cancel: () => later.then((c) => c.cancel()),
  };
}

function forkChild(entry: string, options: ChildOptions): BacktestChild {
  const stallMs = options.stallMs ?? 120_000;
  const child = fork(entry, [], {
    execArgv: ["--no-node-snapshot", `--max-old-space-size=${options.heapMb ?? 4096}`],
    serialization: "advanced",
    // Nothing of ours: the child runs a plugin, so it gets no keys, tokens or URLs to find.
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...(process.env.TMPDIR && { TMPDIR: process.env.TMPDIR }) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const gone = new Promise<void>((resolve) => {
    child.once("close", () => resolve());
    child.once("error", () => resolve());
  });
  let input: BacktestInput | undefined;
  let progress = options.onProgress;
  let candlesSent = false;
  let childReady = false;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  let settle: { resolve: (run: BacktestRun) => void; reject: (error: Error) => void } | undefined;
  const result = new Promise<BacktestRun>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Seen by whoever calls run(); a child cancelled before that has no one to tell.
  result.catch(() => {});
  const finish = (error: Error | undefined, run?: BacktestRun) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    // Once the process is gone: a caller that has the answer has no process of ours left running.
    void gone.then(() => (error ? settle?.reject(error) : settle?.resolve(run as BacktestRun)));
  };
  const watch = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        finish(
          new BacktestError(
            "process",
            `the backtest said nothing for ${stallMs / 1000} s and was stopped (a plugin that hangs?)`,
          ),
        ),
      stallMs,
    );
  };
  const post = () => {
    if (settled || !childReady || !input) return;
    const ledger = options.ledger ?? "memory";
    // The child reads candles that are in cache files itself: a million of them cost hundreds of ms over
    // IPC. It checks what it read against the rows of the input, whoever made or changed that.
    const request: RunRequest = input.candleFiles
      ? { kind: "run", input: { ...input, candles: {} }, ledger, rows: rowsOf(input.candles) }
      : { kind: "run", input, ledger };
    child.send(request);
    watch();
  };
  watch();
  child.on("message", (raw) => {
    const message = asChildMessage(raw, input?.data.candles);
    if (!message) return finish(new BacktestError("process", "the backtest process sent something unexpected"));
    watch();
    switch (message.kind) {
      case "ready":
        childReady = true;
        // Waiting for our input, not hung: the watchdog starts again when it is sent.
        if (!input) clearTimeout(timer);
        return post();
      case "need-candles": {
        // Once per run, and only after the request: a child that asks again (it runs a plugin) would
        // have us queue a copy of every candle per message.
        if (!input || candlesSent) {
          return finish(new BacktestError("process", "the backtest process asked for the candles twice"));
        }
        candlesSent = true;
        options.log?.warn(
          { reason: message.reason },
          "backtest child could not read the candle cache; sending the candles",
        );
        const reply: CandlesReply = { kind: "candles", candles: input.candles };
        child.send(reply);
        return;
      }
      case "progress":
        progress?.(message.done, message.total);
        return;
      case "result":
        return finish(undefined, fromWire(message.run));
      case "error":
        return finish(new BacktestError(message.errorKind, message.message));
    }
  });
  child.on("error", (error) =>
    finish(new BacktestError("process", `the backtest process failed: ${error.message}`, { cause: error })),
  );
  // "close", not "exit": it comes after the IPC channel drained, so a result sent just before the
  // child exited is read first.
  child.on("close", (code, signal) =>
    finish(
      new BacktestError("process", `the backtest process ended (${signal ?? `exit code ${code}`}) before its result`),
    ),
  );
  return {
    run(prepared, onProgress) {
      if (onProgress) progress = onProgress;
      input = prepared;
      post();
      return result;
    },
    async cancel() {
      finish(new BacktestError("process", "the backtest was cancelled"));
      await gone;
    },
  };
}

function rowsOf(candles: BacktestInput["candles"]): RunRequest["rows"] {
  return Object.fromEntries(Object.entries(candles).map(([symbol, columns]) => [symbol, candleRows(columns)]));
}
