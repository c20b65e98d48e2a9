// A backtest's own process, forked by runBacktest (as an esbuild bundle, or through child-entry.js when
// none can be built): it runs one simulation with the plugin's isolate in this process, reports progress
// and the result over IPC, and exits. A plugin that hangs or crashes it takes down only this process;
// the parent's watchdog kills it.

import type { ChildMessage, RunRequest } from "./child-protocol.ts";
import { BacktestError } from "./errors.ts";
import { simulate } from "./simulate.ts";
import { toWire } from "./wire.ts";

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

process.once("message", async (request: RunRequest) => {
  try {
    const run = await simulate(request.input, {
      ledger: request.ledger,
      onProgress: (done, total) => void send({ kind: "progress", done, total }),
    });
    await send({ kind: "result", run: toWire(run) });
  } catch (error) {
    const kind = error instanceof BacktestError ? error.kind : "process";
    await send({ kind: "error", errorKind: kind, message: error instanceof Error ? error.message : String(error) });
  } finally {
    process.disconnect?.();
    // Nothing should keep us alive after the answer; if something does, do not linger.
    setTimeout(() => process.exit(0), 1000).unref();
  }
});
void send({ kind: "ready" });
