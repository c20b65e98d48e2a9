import { z } from "zod";

/** A market symbol as ccxt writes it, any case: BTC/USDT, or BTC/USDT:USDT for a perpetual. */
export const symbolSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{1,20}\/[A-Za-z0-9]{1,20}(:[A-Za-z0-9]{1,20})?$/)
  .transform((s) => s.toUpperCase());

/** A positive base amount; "0,5" reads as 0.5 (a comma is the decimal mark on many phones). */
export const amountSchema = z
  .string()
  .transform((s) => Number(s.replace(",", ".")))
  .pipe(z.number().positive().finite().max(1e12));

/** A timeframe as the store names them: 1m, 5m, 1h, 4h, 1d, ... */
export const timeframeSchema = z.string().regex(/^\d{1,3}[mhdwM]$/);
