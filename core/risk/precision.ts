/** Which way to round onto a step. */
export type Rounding = "down" | "up" | "nearest";

/**
 * `value` rounded onto a multiple of `step`, free of float noise: `0.3 / 0.1` is 2.9999999999999996 in
 * binary floating point, so a plain `Math.floor` would turn 0.3 into 0.2. A ratio within 1e-9 of a
 * whole number counts as that number, and the result is cut to the step's decimals so that
 * `3 * 0.1` comes back as 0.3, not 0.30000000000000004. A step that is missing or not positive means
 * "no precision": the value is returned as is.
 * @example roundToStep(0.1 + 0.2, 0.1, "down") // 0.3
 * @example roundToStep(0.0239, 0.001, "down") // 0.023
 * @example roundToStep(101.256, 0.01) // 101.26
 */
export function roundToStep(value: number, step: number | undefined, rounding: Rounding = "nearest"): number {
  if (step === undefined || !(step > 0) || !Number.isFinite(step) || !Number.isFinite(value)) return value;
  const ratio = value / step;
  const whole = Math.round(ratio);
  const units =
    Math.abs(ratio - whole) <= 1e-9 * Math.max(1, Math.abs(whole))
      ? whole
      : rounding === "down"
        ? Math.floor(ratio)
        : rounding === "up"
          ? Math.ceil(ratio)
          : whole;
  const grid = gridOf(step);
  // For a step of 10^-d, `units * step` printed with d decimals is exactly units × 10^-d (the product's
  // error is far below half a unit while |units| < 10^15), and the double nearest that is units / 10^d,
  // which IEEE division rounds correctly: the same number, without printing and parsing it. Zero is
  // left to the general path, which never answers -0.
  if (grid.tenths > 0 && units !== 0 && Math.abs(units) < 1e15) return units / grid.tenths;
  return Number((units * step).toFixed(Math.min(100, grid.decimals)));
}

/**
 * An order amount rounded DOWN to the market's amount step: never more than the rules allowed.
 * @example roundAmount(0.023456, 0.001) // 0.023
 */
export function roundAmount(amount: number, step: number | undefined): number {
  return roundToStep(amount, step, "down");
}

/**
 * A price rounded to the nearest tick.
 * @example roundPrice(27123.456, 0.01) // 27123.46
 */
export function roundPrice(price: number, tick: number | undefined): number {
  return roundToStep(price, tick, "nearest");
}

/**
 * Digits after the decimal point in a step's shortest spelling, exponent form included.
 * @example decimalsOf(0.001) // 3
 * @example decimalsOf(1e-8) // 8
 * @example decimalsOf(0.25) // 2
 */
export function decimalsOf(step: number): number {
  return gridOf(step).decimals;
}

/** A step's decimals, and 10^decimals when the step is exactly 10^-decimals (else 0). */
interface Grid {
  readonly decimals: number;
  readonly tenths: number;
}

// Every order rounds to its market's few steps and ticks: remember them rather than print them each time.
const GRIDS = new Map<number, Grid>();
let lastStep = Number.NaN;
let lastGrid: Grid = { decimals: 0, tenths: 0 };

function gridOf(step: number): Grid {
  if (step === lastStep) return lastGrid;
  let grid = GRIDS.get(step);
  if (grid === undefined) {
    const [mantissa = "", exponent = "0"] = String(step).split("e");
    const fraction = mantissa.split(".")[1]?.length ?? 0;
    const decimals = Math.max(0, fraction - Number(exponent));
    // 10 ** d is exact up to d = 22; the step must be the very double that "1e-d" parses to.
    const tenths = decimals <= 22 && step === Number(`1e-${decimals}`) ? 10 ** decimals : 0;
    grid = { decimals, tenths };
    if (GRIDS.size >= 1024) GRIDS.clear();
    GRIDS.set(step, grid);
  }
  lastStep = step;
  lastGrid = grid;
  return grid;
}
