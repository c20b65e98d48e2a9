import ivm from "isolated-vm";
import { classifyHostError, oneLine, PluginFailure } from "./failure.ts";
import { DISPATCH_GLOBAL } from "./isolate/limits.ts";
import { maxOutputChars } from "./output.ts";
import type { SandboxSpec } from "./protocol.ts";
import { coldBudget, wallClockLimit } from "./time-limits.ts";

/** How calls enter the isolate; see IsolateSandbox. */
export type CallMode = "sync" | "async";

export interface IsolateSandboxOptions {
  /** The bootstrap script (bundle.ts); passed in so a worker needs no esbuild. */
  readonly bundle: string;
  readonly mode: CallMode;
  /** Wall-clock time beyond a call's CPU timeout after which a call that did not stop is disposed. */
  readonly graceMs?: number;
  /** isolated-vm lost control of an isolate; the process should end (a worker exits and is restarted). */
  readonly onCatastrophicError?: (message: string) => void;
}

/** Memory an isolate holds, as V8 reports it. */
export interface IsolateMemory {
  readonly heapBytes: number;
  readonly externalBytes: number;
}

// The bootstrap compiles to the same bytecode in every isolate; V8's code cache skips the parse.
let bootstrapCache: { bundle: string; data: ivm.ExternalCopy<ArrayBuffer> } | undefined;

/**
 * One plugin instance in its own V8 isolate: the process-side half of the sandbox, used by worker
 * processes (async mode) and by LocalSandbox (sync mode). It speaks raw strings; callers validate.
 *
 * Security decisions, each for a reason:
 * - The only host values that enter the isolate are strings and transferred ArrayBuffers. No Reference,
 *   Callback or ExternalCopy of a host object is ever handed in, so plugin code has nothing of ours to call.
 * - The only thing taken out is the primitive string the bootstrap's dispatch returns; a non-string is an
 *   invalid-output failure, and the string is parsed by the caller (output.ts), never evaluated.
 * - The entry is compiled as an ES module with a resolver that refuses every import; dynamic import()
 *   has no host hook in isolated-vm and rejects inside the isolate.
 * - isolated-vm reads `message`/`stack` of an exception (or an unhandled rejection) leaving the isolate
 *   after the call's timeout has ended, so a getter there could spin forever. The bootstrap catches
 *   everything plugin hooks throw; for what remains (top-level code, rejections from async plugin code),
 *   async mode runs the call on isolated-vm's thread and disposes the isolate when it overstays
 *   timeout + grace, so the process stays responsive. Sync mode cannot do that: it is for processes
 *   whose own supervisor has a wall-clock deadline (see LocalSandbox).
 * - After any failure the isolate is disposed: a plugin interrupted mid-hook has inconsistent state.
 * - Memory: isolated-vm's limit covers the V8 heap and ArrayBuffers; after calls the externally
 *   allocated size is checked as well (it is counted against the limit), and a worker watches its RSS.
 *
 * @example
 * const { sandbox, attach } = await IsolateSandbox.create(spec, { bundle: isolateBundle(), mode: "async" });
 * const out = await sandbox.callAsync("init", JSON.stringify(request), undefined, 50);
 */
export class IsolateSandbox {
  private disposed = false;
  private calls = 0;

  private constructor(
    private readonly isolate: ivm.Isolate,
    private readonly dispatch: ivm.Reference<(...args: unknown[]) => unknown>,
    readonly spec: SandboxSpec,
    private readonly options: IsolateSandboxOptions,
  ) {}

  /** Builds the isolate, runs the bootstrap, then the plugin's top-level code, then attaches its hooks. */
  static async create(
    spec: SandboxSpec,
    options: IsolateSandboxOptions,
  ): Promise<{ sandbox: IsolateSandbox; attach: string }> {
    const isolate = new ivm.Isolate({
      memoryLimit: spec.limits.memoryMb,
      ...(options.onCatastrophicError ? { onCatastrophicError: options.onCatastrophicError } : {}),
    });
    try {
      const context = isolate.createContextSync();
      const dispatch = runBootstrap(isolate, context, options.bundle);
      const module = compileEntry(isolate, spec);
      module.instantiateSync(context, (specifier) => {
        throw new Error(`imports are not allowed ("${specifier}")`);
      });
      const cpu = coldBudget(spec.limits.cpuMsPerCall);
      const started = isolate.cpuTime;
      const wall = { timeout: wallClockLimit(cpu) };
      // Async mode runs plugin code on isolated-vm's thread under a watchdog (see the class comment); sync
      // mode, for supervised processes only, stays on this thread and saves a thread hop per step.
      if (options.mode === "async") await watch(isolate, module.evaluate(wall), cpu, options, "top-level code");
      else module.evaluateSync(wall);
      checkCpu(isolate, started, cpu, "top-level code");
      const sandbox = new IsolateSandbox(isolate, dispatch, spec, options);
      const request = JSON.stringify({
        filename: spec.filename,
        permissions: spec.permissions,
        stateCapBytes: spec.stateCapBytes,
      });
      const attachArgs = ["attach", request, module.namespace.derefInto()] as never[];
      const attach =
        options.mode === "async"
          ? await watch(isolate, dispatch.apply(undefined, attachArgs, wall), cpu, options, "attach")
          : dispatch.applySync(undefined, attachArgs, wall);
      module.release();
      return { sandbox, attach: sandbox.checkResult(attach) };
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw entryFailure(error, spec.filename, coldBudget(spec.limits.cpuMsPerCall));
    }
  }

  /**
   * Enters the isolate on this thread; fastest (about 2 µs), for supervised processes only. `cpuBudgetMs`
   * is the CPU time the call may use (see time-limits.ts).
   */
  callSync(op: string, payload: string, window: Float64Array | undefined, cpuBudgetMs: number): string {
    this.assertLive();
    const started = this.isolate.cpuTime;
    let result: unknown;
    try {
      result = this.dispatch.applySync(undefined, args(op, payload, window), { timeout: wallClockLimit(cpuBudgetMs) });
    } catch (error) {
      this.dispose();
      throw timeoutWording(classifyHostError(error, op), cpuBudgetMs);
    }
    this.checkCpu(started, cpuBudgetMs, op);
    return this.checkResult(result);
  }

  /** Enters the isolate on isolated-vm's thread, disposing it if it overstays; the caller stays responsive. */
  async callAsync(op: string, payload: string, window: Float64Array | undefined, cpuBudgetMs: number): Promise<string> {
    this.assertLive();
    const started = this.isolate.cpuTime;
    const call = this.dispatch.apply(undefined, args(op, payload, window), { timeout: wallClockLimit(cpuBudgetMs) });
    let result: unknown;
    try {
      result = await watch(this.isolate, call, cpuBudgetMs, this.options, op);
    } catch (error) {
      this.dispose();
      throw timeoutWording(classifyHostError(error, op), cpuBudgetMs);
    }
    this.checkCpu(started, cpuBudgetMs, op);
    return this.checkResult(result);
  }

  /** The call finished but used more CPU than its budget: it fails as a timeout all the same. */
  private checkCpu(started: bigint, budgetMs: number, op: string): void {
    try {
      checkCpu(this.isolate, started, budgetMs, op);
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  memory(): IsolateMemory {
    const stats = this.isolate.getHeapStatisticsSync();
    return { heapBytes: stats.used_heap_size, externalBytes: stats.externally_allocated_size };
  }

  get isDisposed(): boolean {
    return this.disposed || this.isolate.isDisposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  private assertLive(): void {
    if (this.isDisposed) throw new PluginFailure("crash", "the isolate was disposed");
  }

  /** A result is a bounded string, and the isolate still within its memory after producing it. */
  private checkResult(result: unknown): string {
    if (typeof result !== "string") {
      this.dispose();
      throw new PluginFailure("invalid-output", `the sandbox answered ${typeof result}, not a string`);
    }
    if (result.length > maxOutputChars(this.spec.stateCapBytes)) {
      this.dispose();
      throw new PluginFailure("invalid-output", `output of ${result.length} characters is too long`);
    }
    // Heap statistics cost about 2 µs; every call in async mode (IPC costs far more), every 16th in sync mode.
    if (this.options.mode === "async" || ++this.calls % 16 === 0) this.checkMemory();
    return result;
  }

  private checkMemory(): void {
    const limit = this.spec.limits.memoryMb * 1024 * 1024;
    const { heapBytes, externalBytes } = this.memory();
    if (externalBytes > limit || heapBytes + externalBytes > 1.5 * limit) {
      this.dispose();
      throw new PluginFailure(
        "memory",
        `holds ${mb(heapBytes)} MB of heap and ${mb(externalBytes)} MB outside it, over its ${this.spec.limits.memoryMb} MB limit`,
      );
    }
  }
}

function runBootstrap(isolate: ivm.Isolate, context: ivm.Context, bundle: string) {
  const cached = bootstrapCache?.bundle === bundle ? bootstrapCache.data : undefined;
  const script = isolate.compileScriptSync(bundle, {
    filename: "quantchat:bootstrap",
    ...(cached ? { cachedData: cached } : { produceCachedData: true }),
  });
  // isolated-vm sets these on the compiled script; its typings leave them out.
  const produced = script as ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean };
  if (!cached && produced.cachedData) bootstrapCache = { bundle, data: produced.cachedData };
  if (cached && produced.cachedDataRejected) bootstrapCache = undefined;
  script.runSync(context, { timeout: 5000 });
  script.release();
  // A data property we defined ourselves, read and deleted before any plugin code exists.
  const dispatch = context.global.getSync(DISPATCH_GLOBAL, { reference: true }) as ivm.Reference<
    (...args: unknown[]) => unknown
  >;
  context.global.deleteSync(DISPATCH_GLOBAL);
  if (dispatch.typeof !== "function") throw new Error("the sandbox bootstrap did not start");
  return dispatch;
}

function compileEntry(isolate: ivm.Isolate, spec: SandboxSpec): ivm.Module {
  let module: ivm.Module;
  try {
    module = isolate.compileModuleSync(spec.code, { filename: spec.filename });
  } catch (error) {
    // isolated-vm writes "Unexpected token ')' [file:3:7]"; say it the way compilers do.
    const message = error instanceof Error ? error.message : String(error);
    const match = /^(.*) \[(.+:\d+:\d+)\]$/.exec(message);
    const text = match ? `${match[2]}: SyntaxError: ${match[1]}` : `${spec.filename}: SyntaxError: ${message}`;
    throw new PluginFailure("error", oneLine(text));
  }
  if (module.dependencySpecifiers.length > 0) {
    const list = module.dependencySpecifiers.map((s) => JSON.stringify(s)).join(", ");
    throw new PluginFailure("error", `${spec.filename}: imports are not allowed (${list}); a plugin is one file`);
  }
  return module;
}

/** Awaits an isolate call; disposes the isolate if it is still running `wall limit + grace` ms later. */
async function watch<T>(
  isolate: ivm.Isolate,
  call: Promise<T>,
  cpuBudgetMs: number,
  options: IsolateSandboxOptions,
  what: string,
): Promise<T> {
  let overstayed = false;
  const timer = setTimeout(
    () => {
      overstayed = true;
      if (!isolate.isDisposed) isolate.dispose();
    },
    wallClockLimit(cpuBudgetMs) + (options.graceMs ?? 1000),
  );
  try {
    return await call;
  } catch (error) {
    if (overstayed) {
      throw new PluginFailure("timeout", `${what}: still running long after its ${cpuBudgetMs} ms CPU limit; stopped`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function checkCpu(isolate: ivm.Isolate, started: bigint, budgetMs: number, what: string): void {
  const usedMs = Number(isolate.cpuTime - started) / 1e6;
  if (usedMs > budgetMs) {
    throw new PluginFailure("timeout", `${what}: used ${usedMs.toFixed(1)} ms of CPU; its limit is ${budgetMs} ms`);
  }
}

/** isolated-vm says "Script execution timed out."; say which limit. */
function timeoutWording(failure: PluginFailure, cpuBudgetMs: number): PluginFailure {
  if (failure.cause !== "timeout" || !failure.message.endsWith("Script execution timed out.")) return failure;
  const what = failure.message.slice(0, failure.message.indexOf(":"));
  const wall = wallClockLimit(cpuBudgetMs);
  return new PluginFailure("timeout", `${what}: still running after ${wall} ms; its CPU limit is ${cpuBudgetMs} ms`);
}

/** A failure while loading the entry, with the plugin's file:line:column when V8 gave one. */
function entryFailure(error: unknown, filename: string, cpuBudgetMs: number): PluginFailure {
  if (error instanceof PluginFailure) return error;
  const failure = timeoutWording(classifyHostError(error, "top-level code"), cpuBudgetMs);
  const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : "";
  const at = stack.indexOf(filename);
  const location = at >= 0 ? /^([^()\s]+:\d+:\d+)/.exec(stack.slice(at))?.[1] : undefined;
  return location ? new PluginFailure(failure.cause, `${failure.message} (${location})`) : failure;
}

function args(op: string, payload: string, window: Float64Array | undefined): never[] {
  if (!window) return [op, payload] as never[];
  // Transfer, not copy: the caller packed this window for us. A view into a larger buffer (as IPC
  // delivers it) is copied into an exact one first, so nothing but the window's numbers crosses.
  const exact = window.byteOffset === 0 && window.buffer.byteLength === window.byteLength ? window : window.slice();
  const data = new ivm.ExternalCopy(exact.buffer, { transferOut: true }).copyInto({ release: true, transferIn: true });
  return [op, payload, data] as never[];
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
