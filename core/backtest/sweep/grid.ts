import { didYouMean } from "../../config/suggest.ts";
import type { ParamSpec } from "../../plugins/manifest-schema.ts";
import type { ParamInput } from "../types.ts";
import { SweepInputError } from "./errors.ts";
import { parseParamValue } from "./params.ts";

/** One swept param and the values it takes, in the order given. */
export interface GridAxis {
  readonly name: string;
  readonly values: readonly ParamInput[];
}

/** Most values one axis may take, and most combinations a grid may make: a typo guard, not a limit of the engine. */
export const MAX_AXIS_VALUES = 10_000;
export const MAX_COMBINATIONS = 100_000;

const RANGE = /^(-?[\d.]+)\.\.(-?[\d.]+)(?::([\d.]+))?$/;

/**
 * Parses one `--grid` flag: `name=a..b:step` (inclusive range, step 1 when left out) or `name=a,b,c`
 * (a list; for boolean and enum params too). Values are typed by the manifest's spec.
 * @example parseGridAxis("fast=5..30:5", specs) // { name: "fast", values: [5, 10, 15, 20, 25, 30] }
 * @example parseGridAxis("mode=fast,slow", specs) // { name: "mode", values: ["fast", "slow"] }
 */
export function parseGridAxis(flag: string, specs: Readonly<Record<string, ParamSpec>>): GridAxis {
  const where = `--grid ${flag}`;
  const eq = flag.indexOf("=");
  if (eq <= 0 || eq === flag.length - 1) {
    throw new SweepInputError(`${where}: expected name=from..to:step or name=a,b,c, like fast=5..30:5`);
  }
  const name = flag.slice(0, eq).trim();
  const body = flag.slice(eq + 1).trim();
  const spec = specs[name];
  if (!spec) {
    const names = Object.keys(specs);
    const known = names.length > 0 ? `known: ${names.join(", ")}` : "this plugin takes no params";
    throw new SweepInputError(`${where}: unknown param${didYouMean(name, names)} (${known})`);
  }
  const range = RANGE.exec(body);
  if (range) {
    if (spec.type !== "integer" && spec.type !== "number") {
      const article = spec.type === "enum" ? "an" : "a";
      throw new SweepInputError(`${where}: ${name} is ${article} ${spec.type} param; list its values instead (a,b,c)`);
    }
    return { name, values: expandRange(where, range[1] as string, range[2] as string, range[3]) };
  }
  const values = body.split(",").map((text) => parseParamValue(spec, text));
  if (values.some((v) => v === "")) throw new SweepInputError(`${where}: a value in the list is empty`);
  if (new Set(values).size !== values.length) throw new SweepInputError(`${where}: a value is listed twice`);
  if (values.length > MAX_AXIS_VALUES) throw new SweepInputError(`${where}: more than ${MAX_AXIS_VALUES} values`);
  return { name, values };
}

/**
 * Every combination of the axes, the first axis varying slowest; `base` params under each.
 * @example expandGrid([{ name: "fast", values: [5, 10] }, { name: "slow", values: [20, 30] }], { fraction: 1 })
 * // [{ fraction: 1, fast: 5, slow: 20 }, { ..., fast: 5, slow: 30 }, { ..., fast: 10, slow: 20 }, { ..., fast: 10, slow: 30 }]
 */
export function expandGrid(
  axes: readonly GridAxis[],
  base: Readonly<Record<string, ParamInput>> = {},
): Record<string, ParamInput>[] {
  const seen = new Set<string>();
  for (const axis of axes) {
    if (seen.has(axis.name)) throw new SweepInputError(`--grid ${axis.name} is given twice`);
    if (Object.hasOwn(base, axis.name)) {
      throw new SweepInputError(`${axis.name} is both swept (--grid) and fixed (--param); keep one`);
    }
    seen.add(axis.name);
  }
  const total = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (total > MAX_COMBINATIONS) {
    throw new SweepInputError(
      `the grid makes ${total.toLocaleString("en-US")} combinations; at most ${MAX_COMBINATIONS.toLocaleString("en-US")}`,
    );
  }
  let combos: Record<string, ParamInput>[] = [{ ...base }];
  for (const axis of axes) combos = combos.flatMap((combo) => axis.values.map((v) => ({ ...combo, [axis.name]: v })));
  return combos;
}

function expandRange(where: string, fromText: string, toText: string, stepText: string | undefined): number[] {
  const from = Number(fromText);
  const to = Number(toText);
  const step = stepText === undefined ? 1 : Number(stepText);
  if (![from, to, step].every(Number.isFinite)) throw new SweepInputError(`${where}: not a number range`);
  if (step <= 0) throw new SweepInputError(`${where}: the step must be greater than 0`);
  if (to < from) throw new SweepInputError(`${where}: the range runs backwards (${from} > ${to})`);
  // Steps like 0.1 do not add up exactly in binary: count the steps, then round each value to the
  // decimals the user wrote, so 0.1..0.3:0.1 gives 0.3 and not 0.30000000000000004.
  const decimals = Math.max(...[fromText, toText, stepText ?? "1"].map(decimalsOf));
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_AXIS_VALUES) throw new SweepInputError(`${where}: ${count} values; at most ${MAX_AXIS_VALUES}`);
  return Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(decimals)));
}

function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}
