/**
 * What the market itself demands of an order, in steps rather than ccxt's precision digits. Every
 * field is optional: a market that states nothing constrains nothing.
 */
export interface MarketConstraints {
  /** Amounts must be a multiple of this (base units), e.g. 0.00001. */
  readonly amountStep?: number;
  /** Prices must be a multiple of this (quote units), e.g. 0.01. */
  readonly priceTick?: number;
  /** Smallest amount in base units (ccxt `limits.amount.min`). */
  readonly minAmount?: number;
  /** Largest amount in base units (ccxt `limits.amount.max`). */
  readonly maxAmount?: number;
  /** Smallest amount × price in quote units (ccxt `limits.cost.min`, Binance's MIN_NOTIONAL). */
  readonly minNotional?: number;
}

/** ccxt's `exchange.precisionMode` values (ccxt/js/src/base/functions/number.js). */
export const CCXT_PRECISION_MODE = { DECIMAL_PLACES: 2, SIGNIFICANT_DIGITS: 3, TICK_SIZE: 4 } as const;

/** How a market states precision: a number of decimals (ccxt DECIMAL_PLACES) or a step (ccxt TICK_SIZE). */
export type PrecisionMode = "decimals" | "tick";

type MaybeNumber = number | null | undefined;

/** The part of a ccxt `Market` read here; declared structurally so core/risk does not import ccxt. */
export interface MarketLike {
  readonly precision?: { readonly amount?: MaybeNumber; readonly price?: MaybeNumber };
  readonly limits?: {
    readonly amount?: { readonly min?: MaybeNumber; readonly max?: MaybeNumber };
    readonly cost?: { readonly min?: MaybeNumber; readonly max?: MaybeNumber };
  };
}

/**
 * A precision as a step size. Throws for SIGNIFICANT_DIGITS: there the step depends on the value,
 * so it cannot be one number; failing when the markets load beats mis-rounding the first order.
 * @example precisionToStep(3, "decimals") // 0.001
 * @example precisionToStep(0.001, "tick") // 0.001
 * @example precisionToStep(8, CCXT_PRECISION_MODE.DECIMAL_PLACES) // 1e-8
 */
export function precisionToStep(precision: number, mode: PrecisionMode | number): number {
  const kind = typeof mode === "string" ? mode : modeName(mode);
  // 10 ** -n is inexact for some n (10 ** -4 is 0.00009999999999999999); parsing "1e-4" is exact.
  return kind === "decimals" ? Number(`1e${-precision}`) : precision;
}

/**
 * Constraints from a ccxt market (`exchange.markets[symbol]`) and the exchange's `precisionMode`.
 * @example marketConstraints({ precision: { amount: 0.00001, price: 0.01 }, limits: { cost: { min: 5 } } })
 *   // { amountStep: 0.00001, priceTick: 0.01, minNotional: 5 }
 */
export function marketConstraints(market: MarketLike, mode: PrecisionMode | number = "tick"): MarketConstraints {
  const amount = positive(market.precision?.amount);
  const price = positive(market.precision?.price);
  const out: { -readonly [K in keyof MarketConstraints]: MarketConstraints[K] } = {};
  if (amount !== undefined) out.amountStep = precisionToStep(amount, mode);
  if (price !== undefined) out.priceTick = precisionToStep(price, mode);
  const minAmount = positive(market.limits?.amount?.min);
  const maxAmount = positive(market.limits?.amount?.max);
  const minNotional = positive(market.limits?.cost?.min);
  if (minAmount !== undefined) out.minAmount = minAmount;
  if (maxAmount !== undefined) out.maxAmount = maxAmount;
  if (minNotional !== undefined) out.minNotional = minNotional;
  return out;
}

function modeName(mode: number): PrecisionMode {
  if (mode === CCXT_PRECISION_MODE.DECIMAL_PLACES) return "decimals";
  if (mode === CCXT_PRECISION_MODE.TICK_SIZE) return "tick";
  throw new Error(
    mode === CCXT_PRECISION_MODE.SIGNIFICANT_DIGITS
      ? "ccxt precision mode SIGNIFICANT_DIGITS has no fixed step size; this market cannot be traded yet"
      : `unknown ccxt precision mode ${mode}`,
  );
}

function positive(value: MaybeNumber): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}
