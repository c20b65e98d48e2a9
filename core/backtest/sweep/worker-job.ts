import type { BacktestInput } from "../input.ts";
import type { BacktestSettings } from "../types.ts";

/** A sweep job as a worker receives it: the range's prepared input comes along only when it lacks it. */
export interface WorkerJob {
  /** Which prepared input the job runs on (see rangeKey). */
  readonly key: string;
  readonly settings: BacktestSettings;
  readonly keepRun: boolean;
  readonly input?: BacktestInput;
}

/** How many prepared inputs a worker keeps (least recently used goes first). */
export const MEMO_SIZE = 4;

/**
 * What makes two jobs share a prepared input: everything in the settings but the params (the plugin,
 * symbols, timeframe and range decide the candles; fees and the rest are read from the job itself).
 * @example rangeKey({ ...settings, params: { fast: 5 } }) === rangeKey({ ...settings, params: { fast: 9 } }) // true
 */
export function rangeKey(settings: BacktestSettings): string {
  const { params: _, ...rest } = settings;
  return JSON.stringify(rest);
}
