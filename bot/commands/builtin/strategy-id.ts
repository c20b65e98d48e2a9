import { z } from "zod";

/** A strategy instance id as strategies.yaml allows it (a slug); anything else cannot name one. */
export const strategyIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
