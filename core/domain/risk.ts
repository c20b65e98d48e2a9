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

/**
 * A strategy's override of the global limits: any subset, nested groups partial too. Structurally the
 * same as core/config's `RiskOverride`, so a parsed `strategies[i].risk` can be passed straight in.
 */
export type RiskLimitsOverride = {
  readonly [K in keyof RiskLimits]?: RiskLimits[K] extends readonly unknown[]
    ? RiskLimits[K]
    : RiskLimits[K] extends object
      ? Partial<RiskLimits[K]>
      : RiskLimits[K];
};

/**
 * The limits a strategy runs under: the global ones with its override on top, key by key.
 * `disabledSymbols` is the union of both lists, so a strategy can never trade a symbol the operator
 * banned globally; every other key (including `enabledSymbols`) is replaced by the override.
 * @example mergeLimits(DEFAULT_RISK_LIMITS, { maxPositionPct: 5, volatility: { action: "reject" } })
 *   // { ...DEFAULT_RISK_LIMITS, maxPositionPct: 5, volatility: { atrPeriod: 14, maxAtrPct: 10, action: "reject" } }
 */
export function mergeLimits(global: RiskLimits, override: RiskLimitsOverride = {}): RiskLimits {
  const written = definedOnly(override);
  return {
    ...global,
    ...written,
    volatility: { ...global.volatility, ...definedOnly(override.volatility ?? {}) },
    stopLossGuard: { ...global.stopLossGuard, ...definedOnly(override.stopLossGuard ?? {}) },
    disabledSymbols: [...new Set([...global.disabledSymbols, ...(override.disabledSymbols ?? [])])],
  } as RiskLimits;
}

/** Drops keys set to undefined, so an override never blanks a limit it did not mean to set. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

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
