/**
 * Bounds on what a plugin may hand back, shared by the in-isolate bootstrap (which rejects early, at
 * the call site, with a line number) and the host's output schema (which is the real barrier: it
 * trusts nothing the isolate says). Pure constants: this file is bundled into the isolate.
 */
export const OUTPUT_LIMITS = {
  /** Intents one step (or one onFill/onStop call) may ask for. */
  intentsPerStep: 16,
  /** Log lines buffered before a batch returns early to hand them over. */
  logsPerEntry: 200,
  /** Burst of log lines per step; one more line is allowed per step that passes (a token bucket). */
  logBurst: 20,
  logChars: 500,
  reasonChars: 200,
  symbolChars: 64,
  errorChars: 2000,
  /** Largest quote or base amount, price or limit price. */
  maxAmount: 1e15,
  maxPct: 1000,
  maxTrailPct: 100,
  maxAtrMultiple: 100,
  maxAtrPeriod: 1000,
  stepBands: 16,
  stateKeyChars: 200,
  /** Different order objects (by value) the ctx.target calls of one onCandles batch may use. */
  targetOrdersPerBatch: 256,
  /** Targets one onCandles batch may hand back; the runner sizes its batches to stay within it. */
  targetsPerBatch: 65_536,
  /**
   * Largest output string of one entry, state excluded (the state has its own cap): room for a full
   * batch of targets (about 12 characters each) and a full table of their orders.
   */
  outputChars: 2_000_000,
} as const;

/** Keys that must never appear in anything the host parses: they reach prototypes in careless code. */
export const FORBIDDEN_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/** The hooks a plugin's default export may define, in the order the docs list them. */
export const HOOK_NAMES = ["init", "onCandle", "onBar", "onCandles", "onFill", "onStop"] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** How the host lays out a window of candles: per step a time, per symbol five columns. */
export const FIELDS_PER_SYMBOL = 5;

/** The global the bootstrap leaves for the host, which takes a reference to it and deletes it. */
export const DISPATCH_GLOBAL = "__quantchatDispatch";
