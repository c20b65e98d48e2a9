// Walk-forward analysis, the pure part: the spec a trader writes and the windows it makes.

import { SweepInputError } from "./sweep/errors.ts";

/** Lengths of the windows, ms. `step` is how far each window moves on (the test length by default). */
export interface WalkForwardSpec {
  readonly train: number;
  readonly test: number;
  readonly step: number;
}

/** One window: optimise on [trainFrom, trainTo), evaluate on [trainTo, testTo). Open times, ms. */
export interface WalkForwardWindow {
  readonly index: number;
  readonly trainFrom: number;
  readonly trainTo: number;
  readonly testFrom: number;
  readonly testTo: number;
}

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses `--walk-forward train=180d,test=30d[,step=30d]`; lengths in m, h, d or w.
 * @example parseWalkForward("train=180d,test=30d") // { train: 180 days, test: 30 days, step: 30 days } in ms
 */
export function parseWalkForward(text: string): WalkForwardSpec {
  const where = `--walk-forward ${text}`;
  const parts = new Map<string, number>();
  for (const part of text.split(",")) {
    const match = /^\s*(train|test|step)\s*=\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$/.exec(part);
    if (!match)
      throw new SweepInputError(
        `${where}: expected train=<length>,test=<length>[,step=<length>], like train=180d,test=30d`,
      );
    const [, key, amount, unit] = match as unknown as [string, string, string, string];
    if (parts.has(key)) throw new SweepInputError(`${where}: ${key} is given twice`);
    parts.set(key, Number(amount) * (UNITS[unit] as number));
  }
  const train = parts.get("train");
  const test = parts.get("test");
  if (train === undefined || test === undefined) throw new SweepInputError(`${where}: both train and test are needed`);
  const step = parts.get("step") ?? test;
  if (train <= 0 || test <= 0 || step <= 0) throw new SweepInputError(`${where}: lengths must be greater than 0`);
  return { train, test, step };
}

/**
 * Rolling windows over [from, to): each trains on `train`, tests on the `test` right after it, and
 * the next starts `step` later. Only whole test windows are made; with step = test (the default)
 * the test windows tile the range after the first training window without gap or overlap.
 * @example
 * splitWindows(0, 100, { train: 40, test: 20, step: 20 })
 * // [{ trainFrom: 0, trainTo: 40, testFrom: 40, testTo: 60 }, { 20, 60, 60, 80 }, { 40, 80, 80, 100 }]
 */
export function splitWindows(from: number, to: number, spec: WalkForwardSpec): WalkForwardWindow[] {
  const windows: WalkForwardWindow[] = [];
  for (let start = from; start + spec.train + spec.test <= to; start += spec.step) {
    const trainTo = start + spec.train;
    windows.push({ index: windows.length, trainFrom: start, trainTo, testFrom: trainTo, testTo: trainTo + spec.test });
  }
  return windows;
}
