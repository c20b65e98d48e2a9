import { z } from "zod";
import type { IntentSize, PriceLevel, TrailingStop } from "../../domain/order.ts";
import type { EmittedTarget } from "../../strategy/targets.ts";
import { PluginFailure, type PluginFailureInfo } from "./failure.ts";
import { FORBIDDEN_KEYS, HOOK_NAMES, type HookName, OUTPUT_LIMITS as L } from "./isolate/limits.ts";
import { levelSchema, positive, sizeSchema, strict, trailingSchema } from "./output-schemas.ts";
import { parseTargets, takeTargets } from "./target-output.ts";

// The host's barrier: everything an isolate says arrives as one string, is parsed here and checked
// against strict schemas. Nothing the bootstrap did inside the isolate is trusted; a plugin that somehow
// subverted it can at most produce what these schemas accept, which is what an honest plugin may ask for.

const intentSchema = strict({
  symbol: z.string().min(1).max(L.symbolChars),
  side: z.enum(["buy", "sell"]),
  reduceOnly: z.boolean(),
  size: sizeSchema,
  type: z.enum(["market", "limit"]),
  limitPrice: positive(L.maxAmount).optional(),
  stopLoss: levelSchema.optional(),
  takeProfit: levelSchema.optional(),
  trailingStop: trailingSchema.optional(),
  reason: z.string().max(L.reasonChars).optional(),
}).refine((i) => (i.type === "limit") === (i.limitPrice !== undefined), "limitPrice goes with type limit, only");

const logSchema = strict({ level: z.enum(["info", "warn"]), message: z.string().max(L.logChars + 80) });

const outputSchema = strict({
  intents: z.array(intentSchema).max(L.intentsPerStep),
  logs: z.array(logSchema).max(L.logsPerEntry + 1),
  reached: z.number().int().min(0).optional(),
  state: z.string().optional(),
  error: strict({
    cause: z.enum(["error", "memory", "invalid-output"]),
    message: z.string().max(L.errorChars + 200),
  }).optional(),
  hooks: z
    .array(z.enum(HOOK_NAMES))
    .max(HOOK_NAMES.length)
    .refine((hooks) => new Set(hooks).size === hooks.length, "duplicate hooks")
    .refine(
      (hooks) =>
        !hooks.includes("onCandles") || !hooks.some((h) => h === "onCandle" || h === "onBar" || h === "onFill"),
      "onCandles goes with no per-candle hook",
    )
    .optional(),
  unknown: z.array(z.string().max(60)).max(20).optional(),
});

/** An intent as validated from a plugin's output, before the runner gives it an id. */
export interface RawIntent {
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly reduceOnly: boolean;
  readonly size: IntentSize;
  readonly type: "market" | "limit";
  readonly limitPrice?: number;
  readonly stopLoss?: PriceLevel;
  readonly takeProfit?: PriceLevel;
  readonly trailingStop?: TrailingStop;
  readonly reason?: string;
}

export interface PluginLogLine {
  readonly level: "info" | "warn";
  readonly message: string;
}

/** One answer of an instance, validated. A plugin failure is data here, not an exception. */
export interface SandboxOutput {
  readonly intents: readonly RawIntent[];
  readonly logs: readonly PluginLogLine[];
  /** For runs: the next step to process (all of [from, reached) ran). */
  readonly reached?: number;
  /** The whole ctx.state when it changed, as JSON object text within the cap. */
  readonly state?: string;
  /** For the first call: the hooks the plugin defines, and function-valued keys that are not hooks. */
  readonly hooks?: readonly HookName[];
  readonly unknown?: readonly string[];
  /** For runs of an onCandles plugin: the batch's targets, steps absolute, in step order. */
  readonly targets?: readonly EmittedTarget[];
  readonly failure?: PluginFailureInfo;
}

/** What the parser checks beyond the schema. */
export interface OutputContext {
  readonly symbols: readonly string[];
  readonly stateCapBytes: number;
  /** For runs: the requested range, which `reached` must fall in and make progress through. */
  readonly range?: { readonly from: number; readonly to: number };
  /** A run of an onCandles plugin: targets instead of intents, and always the whole range. */
  readonly targets?: boolean;
}

/** Longest output string accepted: the intents and logs budget plus the state, JSON-escaped (up to 6x). */
export function maxOutputChars(stateCapBytes: number): number {
  return L.outputChars + 6 * stateCapBytes + 64;
}

/**
 * Parses and validates the raw string an isolate returned. Throws PluginFailure("invalid-output") with
 * the reason when anything is off; returns the plugin's own reported failure as `failure`.
 * @example parseOutput('{"intents":[],"logs":[],"reached":5}', { symbols: ["BTC/USDT"], stateCapBytes: 65536, range: { from: 0, to: 5 } })
 */
export function parseOutput(raw: unknown, context: OutputContext): SandboxOutput {
  if (typeof raw !== "string") throw invalid(`expected a string from the sandbox, got ${typeof raw}`);
  if (raw.length > maxOutputChars(context.stateCapBytes))
    throw invalid(`output of ${raw.length} characters is too long`);
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw invalid("output is not JSON");
  }
  const rawTargets = takeTargets(data);
  const out = commonAnswer(data) ?? schemaChecked(data);
  if (out.error)
    return { intents: [], logs: out.logs, failure: { cause: out.error.cause, message: out.error.message } };
  if (rawTargets !== undefined && !(context.targets && context.range))
    throw invalid("targets from a call that is not a run of an onCandles plugin");
  for (const [i, intent] of out.intents.entries()) {
    if (!context.symbols.includes(intent.symbol))
      throw invalid(`intents.${i}.symbol: "${intent.symbol}" is not traded`);
  }
  if (context.range) {
    const { from, to } = context.range;
    const reached = out.reached;
    if (reached === undefined || reached < from || reached > to || (reached === from && from < to)) {
      throw invalid(`reached ${reached} is not within (${from}, ${to}]`);
    }
  }
  if (out.state !== undefined) checkState(out.state, context.stateCapBytes);
  if (context.targets && context.range) {
    if (out.intents.length > 0) throw invalid("intents from an onCandles batch, which asks with targets only");
    if (out.reached !== context.range.to)
      throw invalid(`reached ${out.reached}: an onCandles batch runs to ${context.range.to}`);
    const targets = rawTargets === undefined ? [] : parseTargets(rawTargets, context.symbols, context.range);
    return { ...(out as SandboxOutput), targets };
  }
  return out as SandboxOutput;
}

/**
 * The answer checked against the output schema: everything the schema accepts, nothing else.
 * @example schemaChecked(JSON.parse('{"intents":[],"logs":[],"reached":5}')).reached // 5
 */
export function schemaChecked(data: unknown): z.infer<typeof outputSchema> {
  const result = outputSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.map(String).join(".") : "";
    throw invalid(`${where === "" ? "output" : where}: ${issue?.message ?? "rejected"}`);
  }
  return result.data;
}

/**
 * The answer of almost every entry of a backtest (a reached step, no logs, market orders without stops)
 * checked by hand in a fraction of the schema's time; anything else, valid or not, is left to the schema
 * (undefined). It accepts a strict subset of what the schema accepts, with the same bounds, and returns
 * the same values: a test holds the two to that on a corpus of good and bad answers.
 * @example commonAnswer({ intents: [], logs: [], reached: 5 }) // the same object
 */
export function commonAnswer(data: unknown): z.infer<typeof outputSchema> | undefined {
  if (!isPlainRecord(data) || !onlyKeys(data, ANSWER_KEYS, 2)) return undefined;
  const { intents, logs, reached } = data;
  if (!Array.isArray(logs) || logs.length !== 0) return undefined;
  if (!Array.isArray(intents) || intents.length > L.intentsPerStep) return undefined;
  if (reached !== undefined && !(Number.isSafeInteger(reached) && (reached as number) >= 0)) return undefined;
  for (const intent of intents) if (!isMarketIntent(intent)) return undefined;
  return data as z.infer<typeof outputSchema>;
}

const ANSWER_KEYS: readonly string[] = ["intents", "logs", "reached"];
const INTENT_KEYS: readonly string[] = ["symbol", "side", "reduceOnly", "size", "type", "reason"];
const SIZE_KEYS: readonly string[] = ["kind", "value"];

/** A market order without limit price or stops, within the schema's bounds. */
function isMarketIntent(value: unknown): boolean {
  if (!isPlainRecord(value) || !onlyKeys(value, INTENT_KEYS, 5)) return false;
  const { symbol, side, reduceOnly, size, type, reason } = value;
  if (typeof symbol !== "string" || symbol.length < 1 || symbol.length > L.symbolChars) return false;
  if ((side !== "buy" && side !== "sell") || typeof reduceOnly !== "boolean" || type !== "market") return false;
  if (reason !== undefined && !(typeof reason === "string" && reason.length <= L.reasonChars)) return false;
  if (!isPlainRecord(size) || !onlyKeys(size, SIZE_KEYS, 2)) return false;
  const max = size.kind === "fraction" ? 1 : size.kind === "quote" || size.kind === "base" ? L.maxAmount : 0;
  return typeof size.value === "number" && size.value > 0 && size.value <= max;
}

/** An object straight from JSON.parse: no array, nothing but Object.prototype behind it. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Own keys all among `allowed`, and at least the first `required` of them present. */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], required: number): boolean {
  const keys = Object.keys(value);
  if (keys.length > allowed.length) return false;
  for (const key of keys) if (!allowed.includes(key)) return false;
  for (let i = 0; i < required; i++) if (!Object.hasOwn(value, allowed[i] as string)) return false;
  return true;
}

/**
 * A state text is a JSON object within the cap, with no key that reaches a prototype anywhere in it.
 * @example checkState('{"n":1}', 65536) // ok; checkState('{"__proto__":{}}', 65536) // throws
 */
export function checkState(text: string, capBytes: number): void {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > capBytes) throw invalid(`state is ${bytes} bytes, over the cap of ${capBytes}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (key, value) => {
      if (FORBIDDEN_KEYS.includes(key)) throw new Error(`key "${key}"`);
      return value;
    });
  } catch (error) {
    throw invalid(`state is not acceptable JSON (${error instanceof Error ? error.message : "parse error"})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw invalid("state is not a JSON object");
}

function invalid(message: string): PluginFailure {
  return new PluginFailure("invalid-output", message);
}
