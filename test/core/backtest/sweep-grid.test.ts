import { describe, expect, it } from "vitest";
import { SweepInputError } from "../../../core/backtest/sweep/errors.ts";
import { expandGrid, parseGridAxis } from "../../../core/backtest/sweep/grid.ts";
import { parseParamFlags, parseParamValue } from "../../../core/backtest/sweep/params.ts";
import type { ParamSpec } from "../../../core/plugins/manifest-schema.ts";

const SPECS: Record<string, ParamSpec> = {
  fast: { type: "integer", default: 10, min: 1, max: 500, step: 1 },
  slow: { type: "integer", default: 30, min: 2, max: 1000, step: 1 },
  fraction: { type: "number", default: 1, min: 0.01, max: 1, step: 0.01 },
  allowShort: { type: "boolean", default: false },
  mode: { type: "enum", default: "close", values: ["close", "reverse"] },
} as Record<string, ParamSpec>;

const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SweepInputError);
    return (e as Error).message;
  }
  throw new Error("expected an error");
};

describe("grid flags", () => {
  it("ranges are inclusive, with step 1 when left out", () => {
    expect(parseGridAxis("fast=5..30:5", SPECS)).toEqual({ name: "fast", values: [5, 10, 15, 20, 25, 30] });
    expect(parseGridAxis("fast=3..6", SPECS).values).toEqual([3, 4, 5, 6]);
    expect(parseGridAxis("slow=20..45:10", SPECS).values).toEqual([20, 30, 40]); // 50 would pass the end
    expect(parseGridAxis("fast=7..7:3", SPECS).values).toEqual([7]);
  });

  it("decimal steps give the values as written, not binary leftovers", () => {
    expect(parseGridAxis("fraction=0.1..0.5:0.1", SPECS).values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(parseGridAxis("fraction=0.25..1:0.25", SPECS).values).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it("lists, typed by the manifest", () => {
    expect(parseGridAxis("fast=5,8,13", SPECS).values).toEqual([5, 8, 13]);
    expect(parseGridAxis("allowShort=true,false", SPECS).values).toEqual([true, false]);
    expect(parseGridAxis("mode=close,reverse", SPECS).values).toEqual(["close", "reverse"]);
  });

  it("errors name the flag and say what is wrong, in one line", () => {
    expect(error(() => parseGridAxis("fast", SPECS))).toBe(
      "--grid fast: expected name=from..to:step or name=a,b,c, like fast=5..30:5",
    );
    expect(error(() => parseGridAxis("fsat=1..3", SPECS))).toBe(
      '--grid fsat=1..3: unknown param (did you mean "fast"?) (known: fast, slow, fraction, allowShort, mode)',
    );
    expect(error(() => parseGridAxis("fast=5..30:0", SPECS))).toBe(
      "--grid fast=5..30:0: the step must be greater than 0",
    );
    expect(error(() => parseGridAxis("fast=30..5:5", SPECS))).toBe(
      "--grid fast=30..5:5: the range runs backwards (30 > 5)",
    );
    expect(error(() => parseGridAxis("mode=1..3", SPECS))).toContain("mode is an enum param; list its values");
    expect(error(() => parseGridAxis("allowShort=0..1", SPECS))).toBe(
      "--grid allowShort=0..1: allowShort is a boolean param; list its values instead (a,b,c)",
    );
    expect(error(() => parseGridAxis("fast=5,5", SPECS))).toBe("--grid fast=5,5: a value is listed twice");
    expect(error(() => parseGridAxis("fast=5,,6", SPECS))).toBe("--grid fast=5,,6: a value in the list is empty");
    expect(error(() => parseGridAxis("fast=1..100000", SPECS))).toBe(
      "--grid fast=1..100000: 100000 values; at most 10000",
    );
  });

  it("values outside the manifest's range are kept for the manifest check to reject", () => {
    // The sweep skips them with the manifest's reason rather than refusing the whole grid.
    expect(parseGridAxis("fast=0..2", SPECS).values).toEqual([0, 1, 2]);
    expect(parseGridAxis("fast=1,x", SPECS).values).toEqual([1, "x"]);
  });
});

describe("grid expansion", () => {
  it("every combination, first axis slowest, fixed params under each", () => {
    const combos = expandGrid(
      [
        { name: "fast", values: [5, 10] },
        { name: "slow", values: [20, 30, 40] },
      ],
      { fraction: 0.5 },
    );
    expect(combos).toEqual([
      { fraction: 0.5, fast: 5, slow: 20 },
      { fraction: 0.5, fast: 5, slow: 30 },
      { fraction: 0.5, fast: 5, slow: 40 },
      { fraction: 0.5, fast: 10, slow: 20 },
      { fraction: 0.5, fast: 10, slow: 30 },
      { fraction: 0.5, fast: 10, slow: 40 },
    ]);
    expect(expandGrid([])).toEqual([{}]); // no axes: one run of the fixed params
  });

  it("rejects an axis given twice, a param both swept and fixed, and grids too large", () => {
    const axis = { name: "fast", values: [1] };
    expect(error(() => expandGrid([axis, axis]))).toBe("--grid fast is given twice");
    expect(error(() => expandGrid([axis], { fast: 3 }))).toBe(
      "fast is both swept (--grid) and fixed (--param); keep one",
    );
    const big = Array.from({ length: 1000 }, (_, i) => i);
    expect(
      error(() =>
        expandGrid([
          { name: "fast", values: big },
          { name: "slow", values: big },
        ]),
      ),
    ).toBe("the grid makes 1,000,000 combinations; at most 100,000");
  });
});

describe("--param flags", () => {
  it("typed by the manifest; unknown names and bad text kept for validateParams", () => {
    expect(parseParamFlags(["fast=10", "fraction=0.5", "allowShort=true", "mode=reverse"], SPECS)).toEqual({
      fast: 10,
      fraction: 0.5,
      allowShort: true,
      mode: "reverse",
    });
    expect(parseParamValue(SPECS.fast, "ten")).toBe("ten");
    expect(parseParamValue(SPECS.allowShort, "yes")).toBe("yes");
    expect(parseParamValue(undefined, "12")).toBe(12);
  });

  it("rejects a flag without = and a param given twice", () => {
    expect(error(() => parseParamFlags(["fast"], SPECS))).toBe("--param fast: expected name=value, like fast=10");
    expect(error(() => parseParamFlags(["fast=1", "fast=2"], SPECS))).toBe("--param fast is given twice");
  });
});
