import type { BacktestError } from "./errors.ts";
import type { BacktestInput } from "./input.ts";
import { type WireRun, wireProblem } from "./wire.ts";

/** The one request a backtest child gets. */
export interface RunRequest {
  readonly kind: "run";
  readonly input: BacktestInput;
  readonly ledger: "store" | "memory";
}

/** What a backtest child says: ready, progress now and then, then a result or an error, then it exits. */
export type ChildMessage =
  | { readonly kind: "ready" }
  | { readonly kind: "progress"; readonly done: number; readonly total: number }
  /** The run as columns (typed arrays and a few strings): cloned at memcpy speed, not object by object. */
  | { readonly kind: "result"; readonly run: WireRun }
  | { readonly kind: "error"; readonly errorKind: BacktestError["kind"]; readonly message: string };

const KINDS: readonly BacktestError["kind"][] = ["settings", "plugin", "data", "plugin-failed", "process"];

/**
 * A child's message, checked for shape before it is believed (the child runs a plugin), or undefined.
 * @example asChildMessage({ kind: "progress", done: 10, total: 100 }) // the same
 */
export function asChildMessage(value: unknown): ChildMessage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m.kind === "ready") return { kind: "ready" };
  if (m.kind === "progress" && typeof m.done === "number" && typeof m.total === "number") return m as ChildMessage;
  if (m.kind === "result" && wireProblem(m.run) === undefined) return m as ChildMessage;
  if (m.kind === "error" && typeof m.message === "string" && KINDS.includes(m.errorKind as BacktestError["kind"])) {
    return m as ChildMessage;
  }
  return undefined;
}
