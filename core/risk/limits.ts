import type { RiskLimits } from "../domain/index.ts";

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
