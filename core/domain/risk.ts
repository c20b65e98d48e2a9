/**
 * Risk limits as configured (strategies.yaml `risk:` globally, `strategies[i].risk` per instance).
 * Percentages are percent (10 = 10%). The zod schema in core/config produces exactly this type.
 */
export interface RiskLimits {
  /** Loss over the UTC day, as % of the day's starting equity: warn at 70% and 90% of it, no new entries at 100%. */
  readonly dailyLossLimitPct: number;
  /** Largest single position, % of equity. Default 10. */
  readonly maxPositionPct: number;
  /** Sum of all open positions' notional, % of equity. Default 50. */
  readonly maxExposurePct: number;
  /** Most positions open at once. Default 10. */
  readonly maxOpenPositions: number;
  /** Smallest order in quote currency (the market's own minimum applies on top). */
  readonly minOrderQuote: number;
  /** Drawdown from the equity peak, %, that locks new entries. */
  readonly maxDrawdownPct: number;
  /** ATR% filter: ATR(period)/close*100 above maxAtrPct rejects (or warns about) entries. */
  readonly volatility: { readonly atrPeriod: number; readonly maxAtrPct: number; readonly action: "reject" | "warn" };
  /** Minutes a symbol waits after a stop-out before a new entry. */
  readonly cooldownAfterStopMinutes: number;
  /** `stops` stop-outs within `windowMinutes` lock the symbol for `lockMinutes`. */
  readonly stopLossGuard: { readonly stops: number; readonly windowMinutes: number; readonly lockMinutes: number };
  /** Symbols allowed to trade; empty means all. */
  readonly enabledSymbols: readonly string[];
  /** Symbols never traded, whatever `enabledSymbols` says. */
  readonly disabledSymbols: readonly string[];
}

export const DEFAULT_RISK_LIMITS: RiskLimits = {
  dailyLossLimitPct: 5,
  maxPositionPct: 10,
  maxExposurePct: 50,
  maxOpenPositions: 10,
  minOrderQuote: 10,
  maxDrawdownPct: 25,
  volatility: { atrPeriod: 14, maxAtrPct: 10, action: "warn" },
  cooldownAfterStopMinutes: 60,
  stopLossGuard: { stops: 3, windowMinutes: 240, lockMinutes: 240 },
  enabledSymbols: [],
  disabledSymbols: [],
};

/** What one risk rule says about one intent. */
export type RuleVerdict =
  | { readonly decision: "approve"; readonly rule: string; readonly reason?: string }
  | { readonly decision: "resize"; readonly rule: string; readonly reason: string; readonly amount: number }
  | { readonly decision: "reject"; readonly rule: string; readonly reason: string };

/** The combined verdict on an intent, stored and shown in chat and web. */
export interface RiskVerdict {
  readonly decision: "approve" | "resize" | "reject";
  /** Base amount after the rules (the original amount on approve, 0 on reject). */
  readonly amount: number;
  readonly rules: readonly {
    readonly rule: string;
    readonly decision: RuleVerdict["decision"];
    readonly reason: string;
  }[];
  readonly warnings: readonly string[];
}
