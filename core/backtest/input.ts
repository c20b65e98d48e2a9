import type { CandleColumns } from "../domain/index.ts";
import type { CacheSlice } from "../market/candle-cache.ts";
import type { ParamValue } from "../plugins/manifest-schema.ts";
import type { SandboxSpec } from "../plugins/sandbox/protocol.ts";
import type { BacktestSettings } from "./types.ts";

/** The stored series a backtest read, as recorded in its fingerprint. */
export interface SeriesUsed {
  readonly symbol: string;
  /** candle_series.revision: every import bumps it. */
  readonly revision: number;
  /** Candles of the series in the store. */
  readonly count: number;
}

/**
 * Everything a simulation needs, resolved and loaded: plain data (typed arrays included) that crosses
 * to the backtest's child process as it is. Built by prepareBacktest in the caller's process, where the
 * store and the plugin folders are; the child needs neither.
 */
export interface BacktestInput {
  /** The result id: a hash of everything below that can change the result (see fingerprint.ts). */
  readonly id: string;
  readonly settings: BacktestSettings;
  readonly plugin: {
    readonly id: string;
    readonly version: string;
    /** sha256 of the entry file. */
    readonly codeHash: string;
    readonly spec: SandboxSpec;
    /** The manifest's warm-up, in candles (steps). */
    readonly warmup: number;
    /** Validated against the manifest, defaults applied. */
    readonly params: Readonly<Record<string, ParamValue>>;
  };
  /** In settings order: the order of onCandle calls within a step. */
  readonly symbols: readonly string[];
  /** Per symbol: up to `warmup` candles before `start`, then the candles to trade. */
  readonly candles: Readonly<Record<string, CandleColumns>>;
  /**
   * Where each symbol's candles lie in its cache file, when every symbol's do: a backtest child reads
   * them there (tens of ms) instead of receiving them over IPC (hundreds of ms for a million).
   */
  readonly candleFiles?: Readonly<Record<string, CacheSlice>>;
  /** Open time of the first candle traded; earlier candles only warm the strategy up. */
  readonly start: number;
  /** The steps traded: first and last open time, and how many. */
  readonly data: { readonly first: number; readonly last: number; readonly candles: number };
  readonly series: readonly SeriesUsed[];
  /** The currency cash and equity are counted in: the symbols' quote ("" for a bare "AAPL"). */
  readonly quote: string;
}
