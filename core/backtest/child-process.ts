import { fork } from "node:child_process";
import type { Logger } from "../log.ts";
import { asChildMessage, type CandlesReply, candleRows, type RunRequest } from "./child-protocol.ts";
import { BacktestError } from "./errors.ts";
import type { BacktestInput } from "./input.ts";
import type { BacktestRun } from "./types.ts";
import { fromWire } from "./wire.ts";

/** How a backtest child is run. */
export interface ChildOptions {
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
  /** Where a fallback is warned about: no compiled bundle, or a child that could not read the candle cache. */
  readonly log?: Logger;
}

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
 * Forks `entry` (child.ts's bundle, or its tsx entry) as a backtest child and speaks the protocol of
 * child-protocol.ts with it. The child runs a plugin, so nothing it says is believed unchecked: a
 * message of the wrong shape, a result of the wrong size, or candles asked for out of turn end the run
 * and kill it; so does `stallMs` of silence.
 * @example const child = forkChild(entry, { stallMs: 60_000 }); const run = await child.run(input)
 */
export function forkChild(entry: string, options: ChildOptions): BacktestChild {
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
  let requestSent = false;
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
    requestSent = true;
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
        if (!input || !requestSent) {
          return finish(new BacktestError("process", "the backtest process asked for candles before its run was sent"));
        }
        if (candlesSent)
          return finish(new BacktestError("process", "the backtest process asked for the candles twice"));
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
