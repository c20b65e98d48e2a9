// Runs inside the isolate. Reads whatever a plugin threw without trusting it: every property read may
// be a getter or a proxy trap, so each one is guarded, and nothing here leaves the isolate but strings.

/** A failure the bootstrap reports; the host maps `cause` onto the bus's PluginFailureCause. */
export interface FailureReport {
  readonly cause: "error" | "memory" | "invalid-output";
  readonly message: string;
}

/** Thrown at a ctx.buy/sell/close call site when the order is malformed; the instance fails with invalid-output. */
export class InvalidOrderError extends Error {
  override name = "InvalidOrderError";
}

/** Thrown when a plugin uses something its manifest did not ask for, or calls a helper where it cannot. */
export class PluginUsageError extends Error {
  override name = "PluginUsageError";
}

/**
 * Runs `fn`; the first InvalidOrderError it throws is recorded on `sink` with the plugin's line (the
 * plugin may catch the error at its call site, the instance still fails with invalid-output), then rethrown.
 * @example guardInvalid(desk, "p/strategy.js", () => normalizeOrder(side, order, where, pick))
 */
export function guardInvalid<T>(sink: { invalid: string | undefined }, filename: string, fn: () => T): T {
  try {
    return fn();
  } catch (thrown) {
    if (thrown instanceof InvalidOrderError && sink.invalid === undefined) {
      const location = pluginLocation(String(thrown.stack ?? ""), filename);
      sink.invalid = `${thrown.message}${location === "" ? "" : ` (${location})`}`;
    }
    throw thrown;
  }
}

/** What a position-dependent ctx member throws in onCandles, which runs ahead of the host's fills. */
export function batchOnlyError(member: string): PluginUsageError {
  return new PluginUsageError(
    `${member} is not available in onCandles: a batch runs ahead of the host's fills, so it sees no position or balance; say what to hold with ctx.target(i, side, order) instead, or use onCandle`,
  );
}

const MEMORY_PATTERNS = [
  "Maximum call stack size exceeded",
  "Invalid string length",
  "Invalid array length",
  "Invalid typed array length",
  "Array buffer allocation failed",
];

/**
 * Describes a thrown value as `message (file:line:column)`, classifying the exhaustion of memory or stack
 * as "memory". Never throws.
 * @example describeThrown(new TypeError("x is not a function"), "p/strategy.js", "onCandle")
 */
export function describeThrown(thrown: unknown, filename: string, where: string, max: number): FailureReport {
  let name: string | undefined;
  let message: string | undefined;
  let stack: string | undefined;
  if ((typeof thrown === "object" && thrown !== null) || typeof thrown === "function") {
    const candidate = thrown as { name?: unknown; message?: unknown; stack?: unknown };
    // Cut before inspecting: a thrown rope of a billion characters must not be flattened here.
    name = readString(() => candidate.name, 100);
    message = readString(() => candidate.message, max);
    stack = readString(() => candidate.stack, 4000);
    if (message === undefined) message = "threw an object whose message cannot be read";
  } else {
    message = `threw ${readString(() => thrown, max) ?? "a value that cannot be printed"}`;
  }
  const memory = MEMORY_PATTERNS.some((pattern) => message.includes(pattern));
  const location = pluginLocation(stack ?? "", filename);
  const head = name !== undefined && name !== "" && name !== "Error" ? `${name}: ` : "";
  const text = `${where}: ${head}${message}${location === "" ? "" : ` (${location})`}`;
  return { cause: memory ? "memory" : "error", message: truncate(text, max) };
}

/** String(read()), cut to `max`; undefined when reading or converting throws. */
function readString(read: () => unknown, max: number): string | undefined {
  try {
    const value = read();
    if (value === undefined || value === null) return "";
    return truncate(typeof value === "string" ? value : String(value), max);
  } catch {
    return undefined;
  }
}

/** The first `file:line:column` of the plugin's own code in a V8 stack, or "". */
export function pluginLocation(stack: string, filename: string): string {
  if (stack === "" || filename === "") return "";
  for (const line of stack.split("\n")) {
    const at = line.indexOf(filename);
    if (at < 0) continue;
    const match = /^([^()\s]+:\d+:\d+)/.exec(line.slice(at));
    if (match?.[1]) return match[1];
  }
  return "";
}

/** String(value) of something the plugin controls, or a placeholder when that throws. */
export function safeString(read: () => unknown): string {
  try {
    const value = read();
    if (value === undefined || value === null) return "";
    return typeof value === "string" ? value : String(value);
  } catch {
    return "[unreadable]";
  }
}

/** At most `max` characters; slices a copy, so a huge rope is cut before anything flattens it whole. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
