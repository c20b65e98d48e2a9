import { z } from "zod";
import { OUTPUT_LIMITS as L } from "./isolate/limits.ts";

// The pieces of an order the host's barrier checks, shared by the intents of every answer (output.ts)
// and the order table of an onCandles batch (target-output.ts): one definition of what an order may say.

/** A number greater than 0 and at most `max`. */
export const positive = (max: number) => z.number().gt(0).lte(max);
export const strict = z.strictObject;

export const sizeSchema = z.discriminatedUnion("kind", [
  strict({ kind: z.literal("fraction"), value: positive(1) }),
  strict({ kind: z.literal("quote"), value: positive(L.maxAmount) }),
  strict({ kind: z.literal("base"), value: positive(L.maxAmount) }),
]);

export const levelSchema = z.union([strict({ price: positive(L.maxAmount) }), strict({ pct: positive(L.maxPct) })]);

export const trailingSchema = z.discriminatedUnion("mode", [
  strict({ mode: z.literal("percent"), pct: positive(L.maxTrailPct) }),
  strict({
    mode: z.literal("atr"),
    multiple: positive(L.maxAtrMultiple),
    period: z.number().int().min(1).max(L.maxAtrPeriod),
  }),
  strict({
    mode: z.literal("step"),
    bands: z
      .array(strict({ profitPct: positive(L.maxPct), trailPct: positive(L.maxTrailPct) }))
      .min(1)
      .max(L.stepBands),
  }),
  strict({ mode: z.literal("sar"), step: positive(1), max: positive(1) }).refine((s) => s.step <= s.max, "step > max"),
]);
