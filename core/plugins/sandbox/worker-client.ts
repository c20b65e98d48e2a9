import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cachedEntry, compiledEntry } from "../../util/compiled-entry.ts";
import { PluginFailure } from "./failure.ts";
import { type FromWorker, fromWorkerSchema, type ToWorker, type WorkerRequest } from "./worker-protocol.ts";

export interface WorkerClientOptions {
  readonly bundle: string;
  /** Node heap of the worker (--max-old-space-size); isolates have their own limits on top. */
  readonly heapMb: number;
  /** RSS beyond which the worker stops the instance that just ran. */
  readonly rssLimitMb: number;
  /** Wall-clock grace the worker gives a call past its CPU timeout before disposing its isolate. */
  readonly graceMs: number;
  /** Longest the worker may take to start. */
  readonly readyTimeoutMs?: number;
  /** Let this process exit while the worker is idle (for short-lived tools and tests). */
  readonly unrefWhenIdle?: boolean;
}

interface Pending {
  readonly resolve: (output: string) => void;
  readonly reject: (error: PluginFailure) => void;
  readonly timer: NodeJS.Timeout;
}

const SOURCE = fileURLToPath(new URL("./worker.ts", import.meta.url));
// The worker through tsx, when no compiled bundle of worker.ts can be had.
const FALLBACK = fileURLToPath(new URL("./worker-entry.js", import.meta.url));

/**
 * The host's end of one sandbox worker process. Every request has a wall-clock deadline: a worker that
 * does not answer in time (an isolate whose own timeout did not fire, a wedged native call) is killed
 * with SIGKILL and the request fails with "timeout"; requests still waiting on a worker that exits fail
 * with "crash". Replies are checked against a schema before they are believed.
 * @example
 * const worker = await WorkerClient.start({ bundle, heapMb: 256, rssLimitMb: 1024, graceMs: 1000 });
 * const attach = await worker.request({ kind: "create", spec }, 10_000);
 */
export class WorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitListeners: ((info: { code: number | null; signal: NodeJS.Signals | null }) => void)[] = [];
  /** Instances placed on this worker (the pool's bookkeeping). */
  readonly instances = new Set<string>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: WorkerClientOptions,
  ) {
    child.on("message", (message) => this.receive(message));
    child.on("exit", (code, signal) => this.exited(code, signal));
    child.on("error", () => this.kill());
  }

  /** Forks a worker and waits until it is ready. */
  static async start(options: WorkerClientOptions): Promise<WorkerClient> {
    // Compiled, the worker is up in about a quarter of the time tsx takes (a strategy's start and restart).
    const entry = cachedEntry(SOURCE) ?? (await compiledEntry(SOURCE, FALLBACK));
    const child = fork(entry, [], {
      execArgv: ["--no-node-snapshot", `--max-old-space-size=${options.heapMb}`],
      serialization: "advanced",
      // Nothing of ours: a worker runs untrusted code, so it gets no keys, tokens or URLs to find.
      env: workerEnv(),
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    const client = new WorkerClient(child, options);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new PluginFailure("crash", "the sandbox worker did not start in time"));
      }, options.readyTimeoutMs ?? 30_000);
      child.once("message", () => {
        clearTimeout(timer);
        resolve();
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new PluginFailure("crash", `the sandbox worker exited while starting (${signal ?? code})`));
      });
    });
    client.post({ kind: "hello", bundle: options.bundle, rssLimitMb: options.rssLimitMb, graceMs: options.graceMs });
    client.idle();
    return client;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** Sends a request; resolves with the worker's output string, rejects with a PluginFailure. */
  request(request: WorkerRequest, deadlineMs: number): Promise<string> {
    if (!this.alive) return Promise.reject(new PluginFailure("crash", "the sandbox worker is gone"));
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new PluginFailure("timeout", `no answer within ${deadlineMs} ms; sandbox worker killed`));
        this.kill();
      }, deadlineMs);
      this.pending.set(id, { resolve, reject, timer });
      this.busy();
      this.post({ ...request, id } as ToWorker);
    });
  }

  onExit(listener: (info: { code: number | null; signal: NodeJS.Signals | null }) => void): void {
    if (this.exitInfo) listener(this.exitInfo);
    else this.exitListeners.push(listener);
  }

  kill(): void {
    if (this.alive) this.child.kill("SIGKILL");
  }

  /** Closes the channel (the worker exits on disconnect) and makes sure it is gone. */
  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.onExit(() => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.kill(), 2000);
    await exited;
    clearTimeout(timer);
  }

  private post(message: ToWorker): void {
    try {
      this.child.send(message);
    } catch {
      this.kill();
    }
  }

  private receive(raw: unknown): void {
    let parsed: ReturnType<typeof fromWorkerSchema.safeParse>;
    try {
      parsed = fromWorkerSchema.safeParse(raw);
    } catch {
      this.kill();
      return;
    }
    if (!parsed.success) {
      // A worker that says something we never taught it to say is not ours anymore.
      this.kill();
      return;
    }
    const message: FromWorker = parsed.data;
    if (message.kind !== "reply") return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.output);
    else pending.reject(new PluginFailure(message.cause, message.message));
    if (this.pending.size === 0) this.idle();
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.exitInfo = { code, signal };
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new PluginFailure("crash", `the sandbox worker exited (${signal ?? `code ${code}`})`));
      this.pending.delete(id);
    }
    for (const listener of this.exitListeners.splice(0)) listener(this.exitInfo);
  }

  private busy(): void {
    if (!this.options.unrefWhenIdle) return;
    this.child.ref();
    this.child.channel?.ref();
  }

  private idle(): void {
    if (!this.options.unrefWhenIdle) return;
    this.child.unref();
    this.child.channel?.unref();
  }
}

/** The worker's whole environment: enough for Node and tsx to run, nothing else. */
function workerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return env;
}
