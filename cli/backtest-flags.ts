import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { MetricsOptions } from "../core/backtest/metrics/types.ts";
import type { BacktestSettings } from "../core/backtest/types.ts";
import { CliError } from "./errors.ts";
import { createProgress } from "./progress.ts";

// The flags `quantchat backtest` and `quantchat sweep` share, and their parsers: each problem is one
// line naming the flag.

const DAY = 86_400_000;

/** The flags `backtest` and `sweep` share, as commander hands them over. */
export interface RunFlags {
  plugin?: string;
  symbol?: string[];
  timeframe?: string;
  from?: string;
  to?: string;
  exchange: string;
  param?: string[];
  cash: string;
  fee?: string;
  feeFixed?: string;
  slippage: string;
  fill: string;
  short?: boolean;
  risk: boolean;
  closeAtEnd?: boolean;
  daysPerYear: string;
  riskFree: string;
  json?: boolean;
  quiet?: boolean;
}

const repeat = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Adds the flags of one backtest run to `command`.
 * @example addRunOptions(program.command("backtest")).action(...)
 */
export function addRunOptions(command: Command): Command {
  return command
    .option("--plugin <id|path>", "a plugin id (sma-cross) or a plugin folder (./my-plugin)")
    .option("--symbol <symbol>", "a symbol, e.g. BTC/USDT; repeat it for plugins that trade several", repeat)
    .option("--timeframe <tf>", "candle timeframe, e.g. 1h")
    .option("--from <date>", "first candle, UTC: 2024-01-01 or 2024-01-01T12:00 (default: the first stored)")
    .option("--to <date>", "last day, UTC, included: 2024-12-31; a time is exclusive (default: the last stored)")
    .option("--exchange <id>", "exchange the candles were imported for", "binance")
    .option("--param <name=value>", "a plugin param, e.g. fast=10 (repeatable; others take their defaults)", repeat)
    .option("--cash <amount>", "starting cash in the quote currency", "10000")
    .option("--fee <pct>", "fee per fill, percent of the notional (default 0.1)")
    .option("--fee-fixed <amount>", "a fixed fee per order in the quote currency, instead of --fee")
    .option("--slippage <bps>", "slippage against the fill, basis points", "0")
    .option("--fill <model>", "next-open (the next candle's open) or close (this candle's close)", "next-open")
    .option("--short", "allow short positions")
    .option("--no-risk", "switch the risk rules of strategies.yaml off and see the raw strategy")
    .option("--close-at-end", "close positions still open at the last close (they are valued there either way)")
    .option("--days-per-year <days>", "annualisation: 365 (crypto, every day) or 252 (trading days)", "365")
    .option("--risk-free <pct>", "annual risk-free rate for Sharpe and Sortino, percent", "0")
    .option("--json", "print the result as JSON on stdout")
    .option("-q, --quiet", "no progress bar");
}

/**
 * A date flag as epoch ms (UTC). A bare date given to --to means the whole day, so the range ends at
 * the next midnight (ranges are end-exclusive); a time is taken as it is.
 * @example parseDate("--to", "2024-12-31", true) // Date.UTC(2025, 0, 1)
 */
export function parseDate(flag: string, text: string, end: boolean): number {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const ms = Date.UTC(y, m - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
      throw new CliError(`${flag}: no such date "${text}"`);
    }
    return end ? ms + DAY : ms;
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?Z?$/.test(text)) {
    const ms = Date.parse(`${text.replace(" ", "T").replace(/Z$/, "")}Z`);
    if (Number.isFinite(ms)) return ms;
  }
  throw new CliError(`${flag}: expected a UTC date like 2024-01-01 or 2024-01-01T12:00, got "${text}"`);
}

/**
 * A numeric flag, checked against its bounds. @example parseNumber("--cash", "10000", { above: 0 }) // 10000
 */
export function parseNumber(
  flag: string,
  text: string,
  bounds: { above?: number; min?: number; max?: number; integer?: boolean },
): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  const words = [
    bounds.integer ? "an integer" : "a number",
    bounds.above !== undefined ? `greater than ${bounds.above}` : undefined,
    bounds.min !== undefined && bounds.max !== undefined
      ? `from ${bounds.min} to ${bounds.max}`
      : bounds.min !== undefined
        ? `of at least ${bounds.min}`
        : undefined,
  ]
    .filter(Boolean)
    .join(" ");
  const ok =
    Number.isFinite(value) &&
    (!bounds.integer || Number.isInteger(value)) &&
    (bounds.above === undefined || value > bounds.above) &&
    (bounds.min === undefined || value >= bounds.min) &&
    (bounds.max === undefined || value <= bounds.max);
  if (!ok) throw new CliError(`${flag}: expected ${words}, got "${text}"`);
  return value;
}

export function parseFees(flags: RunFlags): BacktestSettings["fees"] {
  if (flags.fee !== undefined && flags.feeFixed !== undefined) {
    throw new CliError("--fee and --fee-fixed: give one of them, not both");
  }
  if (flags.feeFixed !== undefined) {
    return { kind: "fixed", perOrder: parseNumber("--fee-fixed", flags.feeFixed, { min: 0 }) };
  }
  const pct = flags.fee === undefined ? 0.1 : parseNumber("--fee", flags.fee, { min: 0, max: 100 });
  return { kind: "percent", makerPct: pct, takerPct: pct };
}

export function parseMetricsOptions(flags: RunFlags): MetricsOptions {
  if (flags.daysPerYear !== "365" && flags.daysPerYear !== "252") {
    throw new CliError(`--days-per-year: expected 365 or 252, got "${flags.daysPerYear}"`);
  }
  const riskFreePct = parseNumber("--risk-free", flags.riskFree, { min: -100, max: 100 });
  return { daysPerYear: flags.daysPerYear === "252" ? 252 : 365, riskFreeRate: riskFreePct / 100 };
}

/** A flag naming a PNG file to write: checked before the run, so a typo does not cost a whole backtest. */
export function pngPath(flag: string, file: string): string {
  if (!file.toLowerCase().endsWith(".png")) throw new CliError(`${flag}: expected a .png file name, got "${file}"`);
  const dir = path.dirname(path.resolve(file));
  if (!existsSync(dir)) throw new CliError(`${flag}: the folder ${dir} does not exist`);
  return file;
}

/** The first line of an error's message: what a one-line CLI error shows. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/**
 * A progress bar on stderr that learns its total from the first update; silent with --quiet.
 * @example const bar = progressBar("sma-cross BTC/USDT 1h", "candles", flags); bar.update(done, total); bar.finish();
 */
export function progressBar(label: string, unit: string, flags: Pick<RunFlags, "quiet">) {
  let bar: ReturnType<typeof createProgress> | undefined;
  const startedAt = performance.now();
  return {
    update(done: number, total: number): void {
      bar ??= createProgress({ label, total, unit, quiet: flags.quiet === true, startedAt });
      bar.update(done, done);
    },
    finish(): void {
      bar?.finish();
    },
  };
}
