// A backtest's own process, forked by runBacktest (as an esbuild bundle, or through child-entry.js when
// none can be built): it runs one simulation with the plugin's isolate in this process, reports progress
// and the result over IPC, and exits. A plugin that hangs or crashes it takes down only this process;
// the parent's watchdog kills it.

import type { CandleColumns } from "../domain/index.ts";
import { readCacheRows } from "../market/cache-file.ts";
import { type CandlesReply, type ChildMessage, candleRows, type RunRequest } from "./child-protocol.ts";
import { BacktestError } from "./errors.ts";
import type { BacktestInput } from "./input.ts";
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
    const run = await simulate(await withCandles(request), {
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

/** The input with its candles: read from the cache files it points at, else asked of the parent. */
async function withCandles(request: RunRequest): Promise<BacktestInput> {
  const { input, rows } = request;
  if (!input.candleFiles) return input;
  const read = readCandleFiles(input.candleFiles, rows ?? {});
  if (typeof read !== "string") return { ...input, candles: read };
  const reply = new Promise<CandlesReply>((resolve) => process.once("message", resolve));
  await send({ kind: "need-candles", reason: read });
  return { ...input, candles: (await reply).candles };
}

/** Each symbol's rows of its cache file, or why they cannot be read (or are not the rows expected). */
function readCandleFiles(
  files: NonNullable<BacktestInput["candleFiles"]>,
  expected: NonNullable<RunRequest["rows"]>,
): BacktestInput["candles"] | string {
  const candles: Record<string, CandleColumns> = {};
  for (const [symbol, f] of Object.entries(files)) {
    try {
      const read = readCacheRows(f.file, f.key, f.stamp, f.start, f.end);
      if (read.status !== "ok") return `${f.file}: ${read.status === "corrupt" ? read.reason : read.status}`;
      const got = candleRows(read.columns);
      const want = expected[symbol];
      if (!want || got.count !== want.count || !Object.is(got.first, want.first) || !Object.is(got.last, want.last)) {
        return `${f.file}: rows ${f.start} to ${f.end} are not the input's ${symbol} candles`;
      }
      candles[symbol] = read.columns;
    } catch (error) {
      return `${f.file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return candles;
}
