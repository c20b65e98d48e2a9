import type { Fill, RiskLimits, Timeframe } from "../domain/index.ts";

/** A plugin's param value as strategies.yaml, chat and the CLI give it. */
export type ParamInput = number | boolean | string;

/** Everything a backtest depends on besides the candles and the plugin's code. Recorded with the result. */
export interface BacktestSettings {
  /** A plugin id (resolved in plugins/) or a path to a plugin folder ("./my-plugin"). */
  readonly plugin: string;
  readonly exchange: string;
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  /** Open time range, epoch ms: `from` inclusive, `to` exclusive; the whole stored series when left out. */
  readonly from?: number;
  readonly to?: number;
  readonly params: Readonly<Record<string, ParamInput>>;
  /** Starting cash in the quote currency. */
  readonly cash: number;
  /** Percent of notional (0.1 = 0.1%) per side, or a fixed quote amount per order. */
  readonly fees:
    | { readonly kind: "percent"; readonly makerPct: number; readonly takerPct: number }
    | { readonly kind: "fixed"; readonly perOrder: number };
  readonly slippageBps: number;
  /** "next-open" (default): an intent fills at the next candle's open; "close": at the close of the candle that caused it. */
  readonly fill: "next-open" | "close";
  readonly allowShort: boolean;
  /** Risk limits the intents pass through; null runs the raw strategy (`--no-risk`). */
  readonly risk: RiskLimits | null;
  /** Close positions still open at the end at the last close (they are valued there either way). */
  readonly closeAtEnd: boolean;
}

/** One round trip: an entry and the exit that closed it (or the end of the data). */
export interface BacktestTrade {
  readonly symbol: string;
  readonly direction: "long" | "short";
  readonly quantity: number;
  readonly entryTime: number;
  readonly entryPrice: number;
  /** Undefined while the position is still open at the end. */
  readonly exitTime?: number;
  readonly exitPrice?: number;
  /** Net of fees, in quote currency; for open trades, valued at the last close. */
  readonly pnl: number;
  readonly pnlPct: number;
  readonly fees: number;
  readonly exitReason?: string;
}

/** Account equity after a candle closed. */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
  readonly cash: number;
}

/** What the simulation produced, before metrics. Deterministic: the same inputs give the same run. */
export interface BacktestRun {
  /**
   * The result id: sha256 of the plugin (id, version, code hash), its params, the settings, the data
   * range with each series' revision and count, and the engine version (core/backtest/fingerprint.ts).
   */
  readonly id?: string;
  readonly settings: BacktestSettings;
  readonly plugin: { readonly id: string; readonly version: string; readonly codeHash: string };
  /** The range actually replayed (first and last candle open time) and how many steps. */
  readonly data: { readonly first: number; readonly last: number; readonly candles: number };
  readonly fills: readonly Fill[];
  readonly trades: readonly BacktestTrade[];
  readonly equity: readonly EquityPoint[];
  /** Closing price per step of the first symbol, for buy-and-hold and charts. */
  readonly benchmark: readonly { readonly time: number; readonly close: number }[];
  readonly verdicts: { readonly approved: number; readonly resized: number; readonly rejected: number };
  readonly openAtEnd: readonly {
    readonly symbol: string;
    readonly quantity: number;
    readonly entryPrice: number;
    readonly lastPrice: number;
  }[];
}
