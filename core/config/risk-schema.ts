import { z } from "zod";
import { DEFAULT_RISK_LIMITS, mergeLimits, type RiskLimits, type RiskLimitsOverride } from "../domain/risk.ts";
import { expected, numberIn, oneOf, percent, positiveInt, strictMap, symbol } from "./fields.ts";

const symbolList = () => z.array(symbol(), expected('a list of symbols like ["BTC/USDT"]'));

/**
 * `risk:` as written in YAML, every key optional. Keys are RiskLimits' names, except that the two
 * symbol lists sit under `symbols: { enabled, disabled }`, which reads better in a config file.
 */
const riskInput = strictMap(
  {
    dailyLossLimitPct: percent().optional(),
    maxPositionPct: percent().optional(),
    maxExposurePct: percent().optional(),
    maxOpenPositions: positiveInt().optional(),
    minOrderQuote: numberIn({ min: 0 }).optional(),
    maxDrawdownPct: percent().optional(),
    volatility: strictMap(
      {
        atrPeriod: positiveInt().optional(),
        maxAtrPct: percent().optional(),
        action: oneOf(["reject", "warn"]).optional(),
      },
      "a map with atrPeriod, maxAtrPct, action",
    ).optional(),
    cooldownAfterStopMinutes: numberIn({ int: true, min: 0 }).optional(),
    stopLossGuard: strictMap(
      {
        stops: positiveInt().optional(),
        windowMinutes: positiveInt().optional(),
        lockMinutes: positiveInt().optional(),
      },
      "a map with stops, windowMinutes, lockMinutes",
    ).optional(),
    symbols: strictMap(
      { enabled: symbolList().optional(), disabled: symbolList().optional() },
      "a map with enabled and disabled symbol lists",
    ).optional(),
  },
  "a map of risk limits",
);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A per-strategy override: any subset of RiskLimits, nested groups partial too. */
export type RiskOverride = RiskLimitsOverride;

function toOverride(input: z.output<typeof riskInput>): RiskOverride {
  const { symbols, ...rest } = input;
  const out: Mutable<RiskOverride> = definedOnly(rest);
  if (symbols?.enabled !== undefined) out.enabledSymbols = symbols.enabled;
  if (symbols?.disabled !== undefined) out.disabledSymbols = symbols.disabled;
  return out;
}

/**
 * Limits with an override applied on top (the domain's `mergeLimits`): nested groups merge key by key
 * and disabled symbols add up, so a strategy cannot re-enable a symbol banned globally.
 * @example mergeRiskLimits(DEFAULT_RISK_LIMITS, { volatility: { maxAtrPct: 5 } }).volatility.action // "warn"
 */
export const mergeRiskLimits = mergeLimits;

/** Drops keys whose value is undefined, so an override never blanks a limit it did not set. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A strategy's `risk:`: a partial override of the global limits, merged later with `mergeRiskLimits`. */
export const riskOverrideSchema = riskInput.transform(toOverride);

/**
 * The global `risk:` block: every key optional, DEFAULT_RISK_LIMITS filling the gaps, producing
 * exactly the domain's RiskLimits.
 * @example riskLimitsSchema.parse({ maxOpenPositions: 3 }).maxExposurePct // 50
 */
export const riskLimitsSchema = riskInput.transform(
  (input): RiskLimits => mergeRiskLimits(DEFAULT_RISK_LIMITS, toOverride(input)),
);
