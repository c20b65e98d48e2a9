import type { Bus } from "../bus/bus.ts";
import type { Candle } from "../domain/candle.ts";
import type { Maybe } from "../execution/maybe.ts";
import type { PluginFailureInfo } from "../plugins/sandbox/failure.ts";
import type { RawIntent } from "../plugins/sandbox/output.ts";
import { IntentIds, toOrderIntent } from "./intents.ts";
import type { EmittedIntent } from "./runner-types.ts";
import { type EmittedTarget, targetIntents } from "./targets.ts";
import { candleAt, lastCandleAt, type Timeline } from "./timeline.ts";

/**
 * Turns a plugin's validated raw intents, or the orders a target resolves to, into OrderIntents with
 * deterministic ids (one IntentIds per instance, so both paths number alike) and publishes each on the
 * bus as `strategy.intent` with the candle that caused it.
 * @example const emitter = new IntentEmitter("btc-sma", bus); await emitter.emit(out.intents, timeline, step)
 */
export class IntentEmitter {
  private readonly ids: IntentIds;

  constructor(
    private readonly strategyId: string,
    private readonly bus: Bus | undefined,
  ) {
    this.ids = new IntentIds(strategyId);
  }

  /** Intents a step asked for, each with its symbol's candle of that step (or the latest before it). */
  async emit(
    raws: readonly RawIntent[],
    timeline: Timeline,
    step: number,
  ): Promise<{ intents: EmittedIntent[]; failed?: PluginFailureInfo }> {
    const intents: EmittedIntent[] = [];
    for (const raw of raws) {
      const s = timeline.symbols.indexOf(raw.symbol);
      const candle = candleAt(timeline, s, step) ?? lastCandleAt(timeline, s, step);
      if (!candle)
        return {
          intents: [],
          failed: { cause: "invalid-output", message: `an intent for ${raw.symbol} before any candle of it` },
        };
      intents.push(this.intent(raw, candle, step));
    }
    await this.publish(intents);
    return { intents };
  }

  /**
   * The orders that take `held` to what `t` asks for (targets.ts), as intents of `candle`; the list
   * itself, without a promise, when nobody listens for `strategy.intent` (a backtest's bus).
   */
  forTarget(t: EmittedTarget, held: number, candle: Candle): Maybe<EmittedIntent[]> {
    const raws = targetIntents(t.target, held);
    if (raws.length === 0) return raws as [];
    // map sizes the array once; pushing to an empty one reserves 17 slots.
    const intents = raws.map((raw) => this.intent(raw, candle, t.step));
    const bus = this.bus;
    if (!bus || bus.listens?.("strategy.intent") === false) return intents;
    return this.publish(intents).then(() => intents);
  }

  private intent(raw: RawIntent, candle: Candle, step: number): EmittedIntent {
    const id = this.ids.next(raw.symbol, candle.time);
    return { intent: toOrderIntent(raw, id, this.strategyId, candle.time), candle, step };
  }

  private async publish(intents: readonly EmittedIntent[]): Promise<void> {
    const bus = this.bus;
    if (bus) for (const { intent, candle } of intents) await bus.publish("strategy.intent", { intent, candle });
  }
}
