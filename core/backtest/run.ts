import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { asChildMessage, type RunRequest } from "./child-protocol.ts";
import { fromColumnar } from "./compact.ts";
import { BacktestError } from "./errors.ts";
import type { BacktestInput } from "./input.ts";
import { type PrepareOptions, prepareBacktest } from "./prepare.ts";
import type { BacktestRun, BacktestSettings } from "./types.ts";

export interface RunBacktestOptions extends PrepareOptions {
  /** Steps replayed so far and in all, about 200 times a run. */
  readonly onProgress?: (done: number, total: number) => void;
  /** The executor's ledger in the child: "memory" (default) or "store" (SQLite in memory, as live); see SimulateOptions. */
  readonly ledger?: "store" | "memory";
  /** The child is killed when it has said nothing for this long (a plugin that wedged it). Default 120 s. */
  readonly stallMs?: number;
  /** Node heap of the child in MB. Default 4096: a million-step run holds its equity curve twice. */
  readonly heapMb?: number;
}

const ENTRY = fileURLToPath(new URL("./child-entry.js", import.meta.url));

/**
 * Runs a backtest: prepares it here (the store, the candle cache and the plugin folders are here),
 * then simulates it in a child process with the plugin's isolate inside, so that a hostile or broken
 * plugin can at worst take that process down, never the caller. Progress and the result come back over
 * IPC; a child silent for `stallMs` is killed. Throws BacktestError.
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
  return runInChild(await prepareBacktest(settings, options), options);
}

/**
 * Simulates a prepared backtest in a child process (see runBacktest).
 * @example const run = await runInChild(await prepareBacktest(settings, options), { stallMs: 60_000 })
 */
export function runInChild(
  input: BacktestInput,
  options: Pick<RunBacktestOptions, "onProgress" | "ledger" | "stallMs" | "heapMb"> = {},
): Promise<BacktestRun> {
  const stallMs = options.stallMs ?? 120_000;
  const child = fork(ENTRY, [], {
    execArgv: ["--no-node-snapshot", `--max-old-space-size=${options.heapMb ?? 4096}`],
    serialization: "advanced",
    // Nothing of ours: the child runs a plugin, so it gets no keys, tokens or URLs to find.
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...(process.env.TMPDIR && { TMPDIR: process.env.TMPDIR }) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise<BacktestRun>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: Error | undefined, run?: BacktestRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      if (error) reject(error);
      else resolve(run as BacktestRun);
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
    watch();
    child.on("message", (raw) => {
      const message = asChildMessage(raw);
      if (!message) return finish(new BacktestError("process", "the backtest process sent something unexpected"));
      watch();
      switch (message.kind) {
        case "ready": {
          const request: RunRequest = { kind: "run", input, ledger: options.ledger ?? "memory" };
          child.send(request);
          return;
        }
        case "progress":
          options.onProgress?.(message.done, message.total);
          return;
        case "result":
          return finish(undefined, fromColumnar(message.run));
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
  });
}
