import { z } from "zod";
import type { PluginFailureCause } from "./failure.ts";
import type { SandboxOp, SandboxSpec } from "./protocol.ts";

/** Host to worker. Requests carry an id; the worker answers each with one reply of that id. */
export type ToWorker =
  | { readonly kind: "hello"; readonly bundle: string; readonly rssLimitMb: number; readonly graceMs: number }
  | { readonly kind: "create"; readonly id: number; readonly spec: SandboxSpec }
  | {
      readonly kind: "call";
      readonly id: number;
      readonly instanceId: string;
      readonly op: SandboxOp;
      readonly payload: string;
      readonly window?: Float64Array;
      readonly cpuBudgetMs: number;
    }
  | { readonly kind: "dispose"; readonly id: number; readonly instanceId: string };

/** A request as the client sends it, before it is given an id. */
export type WorkerRequest =
  | Omit<Extract<ToWorker, { kind: "create" }>, "id">
  | Omit<Extract<ToWorker, { kind: "call" }>, "id">
  | Omit<Extract<ToWorker, { kind: "dispose" }>, "id">;

/** Worker to host. */
export type FromWorker =
  | { readonly kind: "ready"; readonly pid: number }
  | { readonly kind: "reply"; readonly id: number; readonly ok: true; readonly output: string }
  | {
      readonly kind: "reply";
      readonly id: number;
      readonly ok: false;
      readonly cause: PluginFailureCause;
      readonly message: string;
    };

/**
 * The host checks what a worker says: a worker runs plugin code, so if an isolate were ever escaped, the
 * worker is the next thing the plugin controls. Strings are bounded; the output string itself is parsed
 * and validated by output.ts.
 */
export const fromWorkerSchema = z.union([
  z.strictObject({ kind: z.literal("ready"), pid: z.number().int() }),
  z.strictObject({
    kind: z.literal("reply"),
    id: z.number().int(),
    ok: z.literal(true),
    output: z.string().max(16_000_000),
  }),
  z.strictObject({
    kind: z.literal("reply"),
    id: z.number().int(),
    ok: z.literal(false),
    cause: z.enum(["error", "timeout", "memory", "invalid-output", "crash"]),
    message: z.string().max(4000),
  }),
]);
