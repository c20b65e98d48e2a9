import type { PluginFailureCause } from "../../bus/events.ts";

export type { PluginFailureCause };

/** Why a plugin instance stopped: the cause as the bus reports it and a one-line message. */
export interface PluginFailureInfo {
  readonly cause: PluginFailureCause;
  readonly message: string;
}

/**
 * A plugin misbehaved: threw, ran past its CPU limit, exhausted its memory, returned something the
 * host rejects, or took its worker process down. Carries the cause the bus reports.
 * @example throw new PluginFailure("invalid-output", "intents[0].size.value: expected a number")
 */
export class PluginFailure extends Error {
  constructor(
    override readonly cause: PluginFailureCause,
    message: string,
  ) {
    super(message);
    this.name = "PluginFailure";
  }

  /** Plain data for events and replies. */
  toInfo(): PluginFailureInfo {
    return { cause: this.cause, message: this.message };
  }
}

/**
 * An instance cannot take calls right now: it failed and waits for a restart, it is disabled, or it
 * was disposed. Not a plugin failure: nothing ran.
 */
export class SandboxUnavailableError extends Error {
  constructor(
    readonly instanceId: string,
    readonly status: string,
  ) {
    super(`plugin instance ${instanceId} is ${status}`);
    this.name = "SandboxUnavailableError";
  }
}

const MEMORY_MESSAGES = [
  "Isolate was disposed during execution due to memory limit",
  "Array buffer allocation failed",
  "Invalid string length",
  "Invalid array length",
  "Invalid typed array length",
  "Maximum call stack size exceeded",
];

/**
 * Maps an error isolated-vm threw on the host side to a failure. Only the error's own message is
 * read, and only when it is a host Error: isolated-vm builds those from copies, never from the
 * plugin's objects.
 * @example classifyHostError(new Error("Script execution timed out.")).cause // "timeout"
 */
export function classifyHostError(error: unknown, context = ""): PluginFailure {
  if (error instanceof PluginFailure) return error;
  const message = error instanceof Error && typeof error.message === "string" ? error.message : "unknown error";
  const prefix = context === "" ? "" : `${context}: `;
  if (message.startsWith("Script execution timed out")) return new PluginFailure("timeout", `${prefix}${message}`);
  if (MEMORY_MESSAGES.some((m) => message.includes(m))) return new PluginFailure("memory", `${prefix}${message}`);
  return new PluginFailure("error", `${prefix}${oneLine(message)}`);
}

/** First line, bounded: a plugin controls error text and must not flood logs or chat. */
export function oneLine(text: string, max = 500): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
