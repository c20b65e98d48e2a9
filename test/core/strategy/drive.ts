import { PositionBook } from "../../../core/plugins/position-book.ts";
import type { PluginFailureInfo } from "../../../core/plugins/sandbox/failure.ts";
import type { SandboxHandle } from "../../../core/plugins/sandbox/handle.ts";
import type { EmittedIntent, StrategyRunner } from "../../../core/strategy/runner.ts";
import type { Timeline } from "../../../core/strategy/timeline.ts";

/** Runs a started runner over a whole timeline, filling market intents at the close like evaluatePlugin. */
export async function drive(
  runner: StrategyRunner,
  timeline: Timeline,
  book = new PositionBook(10_000),
): Promise<{ intents: EmittedIntent[]; failed?: PluginFailureInfo; calls: number }> {
  const intents: EmittedIntent[] = [];
  let from = 0;
  let calls = 0;
  while (from < timeline.length) {
    const r = await runner.processCandles(timeline, { from, snapshot: book.snapshot() });
    calls++;
    for (const e of r.intents) {
      intents.push(e);
      const fill = book.apply(e.intent, e.candle.close, e.candle.time);
      if (fill) {
        const more = await runner.onFill(fill, book.snapshot());
        intents.push(...more.intents);
      }
    }
    if (r.failed) return { intents, failed: r.failed, calls };
    from = r.reachedIndex;
  }
  return { intents, calls };
}

/** The comparable part of emitted intents. */
export function summary(intents: readonly EmittedIntent[]) {
  return intents.map((e) => ({
    id: e.intent.id,
    step: e.step,
    side: e.intent.side,
    size: e.intent.size,
    reduceOnly: e.intent.reduceOnly,
  }));
}

/** The same sandbox, counting its entries for runs. */
export function counting(sandbox: SandboxHandle): SandboxHandle & { runs: number } {
  const counted = Object.create(sandbox) as SandboxHandle & { runs: number };
  counted.runs = 0;
  counted.run = (request) => {
    counted.runs++;
    return sandbox.run(request);
  };
  return counted;
}
