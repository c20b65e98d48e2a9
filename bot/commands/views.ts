/**
 * What CoreServices hands the chat commands: plain, platform-neutral data (numbers unformatted, times
 * in epoch ms, charts as PNG bytes). Telegram, Discord and the web's REST API render the same views.
 */
import type { Side } from "../../core/domain/index.ts";

/** A chart ready to send, with the size it was drawn at. */
export interface ChartImage {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** One account's money: /balance. */
export interface BalanceView {
  readonly accountId: string;
  readonly exchange: string;
  readonly mode: "paper" | "live";
  /** The currency cash and equity are counted in. */
  readonly quote: string;
  readonly cash: number;
  readonly equity: number;
  readonly peakEquity: number;
  /** Every currency the exchange reports a balance in. */
  readonly currencies: readonly { readonly currency: string; readonly free: number; readonly used: number }[];
}

/** An order as /orders lists it. */
export interface OrderView {
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: string;
  readonly amount: number;
  readonly filled: number;
  readonly price?: number;
  readonly averagePrice?: number;
  readonly status: string;
  readonly createdAt: number;
  readonly reason?: string;
}

/** /orders: what is working at the exchange, and the latest few of any state. */
export interface OrdersView {
  readonly open: readonly OrderView[];
  readonly recent: readonly OrderView[];
}

/** One fill: /trades. */
export interface TradeView {
  readonly time: number;
  readonly accountId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly amount: number;
  readonly price: number;
  readonly fee: number;
  readonly feeCurrency: string;
}

export const PNL_PERIODS = ["day", "week", "month", "all"] as const;
export type PnlPeriod = (typeof PNL_PERIODS)[number];

/** One account over a /pnl period. */
export interface PnlAccountView {
  readonly accountId: string;
  readonly quote: string;
  /** First and last equity snapshot of the period; undefined when there is none. */
  readonly from?: number;
  readonly to?: number;
  readonly startEquity: number;
  readonly endEquity: number;
  readonly pnl: number;
  readonly pnlPct: number;
  /** Deepest fall from a running peak inside the period, % (0 or more). */
  readonly maxDrawdownPct: number;
  readonly fills: number;
  /** Fees of those fills, in the quote currency. */
  readonly fees: number;
  readonly chart?: ChartImage;
}

export interface PnlView {
  readonly period: PnlPeriod;
  readonly accounts: readonly PnlAccountView[];
}

/** One account's last days: /daily. */
export interface DailyAccountView {
  readonly accountId: string;
  readonly quote: string;
  readonly days: readonly {
    readonly day: string;
    readonly pnl: number;
    readonly pnlPct: number;
    readonly closeEquity: number;
  }[];
  readonly chart?: ChartImage;
}

/** Realised and unrealised PnL of one strategy or one symbol: /performance. */
export interface PerformanceRow {
  readonly key: string;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
  readonly fills: number;
  /** Traded notional, quote currency. */
  readonly volume: number;
}

export interface PerformanceView {
  readonly byStrategy: readonly PerformanceRow[];
  readonly bySymbol: readonly PerformanceRow[];
}

/** A strategy instance in /strategies. */
export interface StrategySummaryView {
  readonly id: string;
  readonly pluginId: string;
  readonly pluginVersion?: string;
  readonly accountId: string;
  /** ready, running, stopped, degraded, failed, disabled. */
  readonly state: string;
  readonly stateReason?: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Realised PnL net of fees plus unrealised, quote currency. */
  readonly pnl?: number;
}

/** A risk verdict as /strategy shows the last few. */
export interface VerdictView {
  readonly time: number;
  readonly symbol: string;
  readonly side: Side;
  readonly decision: "approve" | "resize" | "reject";
  readonly amount: number;
  readonly reasons: readonly string[];
}

/** /strategy <id>: everything about one instance. */
export interface StrategyDetailView extends StrategySummaryView {
  /** Params the instance runs with; `pending` is a value set from chat that applies at the next restart. */
  readonly params: readonly {
    readonly name: string;
    readonly value: string | number | boolean;
    readonly pending?: string | number | boolean;
  }[];
  /** "10% of equity" or "1000 quote". */
  readonly allocation: { readonly pct: number } | { readonly quote: number };
  /** The instance's override of the account's risk limits, flattened: "volatility.action" -> "reject". */
  readonly risk: readonly { readonly name: string; readonly value: string }[];
  readonly verdicts: readonly VerdictView[];
  readonly failureCount: number;
}

/** What /run and /stop did. */
export type StrategySwitchResult =
  | { readonly kind: "unknown" }
  | {
      readonly kind: "done";
      readonly previous: "running" | "stopped";
      readonly state: "running" | "stopped";
      readonly changed: boolean;
    };

/** What /set did. `appliesAt` says when the running instance sees the new value. */
export type SetParamResult =
  | { readonly kind: "unknown" }
  | { readonly kind: "invalid"; readonly problems: readonly string[] }
  | {
      readonly kind: "saved";
      readonly name: string;
      readonly value: string | number | boolean;
      /** The value the running instance still uses. */
      readonly running: string | number | boolean;
      readonly appliesAt: "restart";
    };

/** /backtest's request, as typed in chat. */
export interface BacktestRequest {
  readonly plugin: string;
  readonly symbol: string;
  readonly timeframe: string;
  /** Open time range, epoch ms (`to` exclusive); both absent with `span` absent: the whole series. */
  readonly from?: number;
  readonly to?: number;
  /** The last this many ms of the stored series, instead of `from` and `to`. */
  readonly span?: number;
  /** Params as typed; typed as the manifest declares them before validation. */
  readonly params: Readonly<Record<string, string>>;
}

/** /backtest's answer. Fractions are fractions (0.05 = 5%). */
export type BacktestView =
  | { readonly kind: "failed"; readonly message: string }
  | {
      readonly kind: "done";
      readonly id?: string;
      readonly plugin: string;
      readonly pluginVersion: string;
      readonly symbol: string;
      readonly timeframe: string;
      readonly first: number;
      readonly last: number;
      readonly candles: number;
      /**
       * Stretches of the range asked for without stored candles (before, the longest hole, after); the
       * longest hole says how many holes there are when there is more than one.
       */
      readonly missing?: readonly { readonly from: number; readonly to: number; readonly holes?: number }[];
      readonly params: Readonly<Record<string, string | number | boolean>>;
      readonly startEquity: number;
      readonly finalEquity: number;
      readonly totalReturn: number;
      readonly buyAndHoldReturn: number | null;
      readonly cagr: number | null;
      readonly sharpe: number | null;
      readonly maxDrawdown: number;
      readonly trades: number;
      readonly winRate: number | null;
      readonly profitFactor: number | null;
      readonly fees: number;
      readonly exposure: number;
      readonly chart?: ChartImage;
    };

/** /chart's answer: candles of a stored series with our fills on it. */
export type MarketChartView =
  | { readonly kind: "no-data"; readonly symbol: string; readonly timeframe: string }
  | {
      readonly kind: "done";
      readonly exchange: string;
      readonly symbol: string;
      readonly timeframe: string;
      readonly candles: number;
      readonly first: number;
      readonly last: number;
      readonly lastClose: number;
      readonly entries: number;
      readonly exits: number;
      readonly chart?: ChartImage;
    };

/** A manual order as typed: /buy and /sell. */
export interface OrderTicket {
  readonly side: Side;
  readonly symbol: string;
  /** Base currency amount. */
  readonly amount: number;
  /** Needed only when the engine trades several accounts. */
  readonly accountId?: string;
}

/** What a manual order would cost right now, asked before the confirm button. */
export type OrderQuote =
  | { readonly kind: "no-account"; readonly accounts: readonly string[] }
  | { readonly kind: "no-price"; readonly symbol: string }
  | {
      readonly kind: "ok";
      readonly accountId: string;
      readonly price: number;
      readonly notional: number;
      readonly quote: string;
    };

/** What became of a manual order or a close: the risk manager's word, then the exchange's. */
export interface OrderOutcomeView {
  readonly accountId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly decision: "approve" | "resize" | "reject";
  readonly reasons: readonly string[];
  /** Order status when one was sent; undefined when the risk manager refused. */
  readonly status?: string;
  readonly filled: number;
  readonly averagePrice?: number;
  /** Why the executor refused or the exchange rejected, when it did. */
  readonly problem?: string;
}

/** /risk of one account: the limits it trades under and how much of each is used. */
export interface RiskAccountView {
  readonly accountId: string;
  readonly state: string;
  readonly stateReason?: string;
  readonly stateBy?: string;
  /** Undefined when risk rules are switched off (strategies.yaml `risk: null`) or not known here. */
  readonly limits?: {
    readonly dailyLossLimitPct: number;
    readonly maxDrawdownPct: number;
    readonly maxExposurePct: number;
    readonly maxPositionPct: number;
    readonly maxOpenPositions: number;
    readonly cooldownAfterStopMinutes: number;
  };
  readonly equity: number;
  readonly dayStartEquity: number;
  readonly peakEquity: number;
  readonly dailyLossPct: number;
  readonly drawdownPct: number;
  readonly exposurePct: number;
  readonly largestPositionPct: number;
  readonly openPositions: number;
}

export interface RiskView {
  readonly accounts: readonly RiskAccountView[];
}
