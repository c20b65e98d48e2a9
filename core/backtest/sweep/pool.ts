import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { compiledEntry } from "../../util/compiled-entry.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";

const SOURCE = fileURLToPath(new URL("./worker.ts", import.meta.url));
// A worker through tsx, when no compiled bundle of worker.ts or of the job module can be had.
const FALLBACK = fileURLToPath(new URL("./worker-entry.js", import.meta.url));

/** How a pool starts its workers. */
export interface ProcessPoolOptions {
  /** Number of worker processes (at least 1). */
  readonly workers: number;
  /** Absolute path of the module each worker loads: it exports `setup(init)` and `run(job)`. */
  readonly module: string;
  /** Passed to `setup` in every worker; must survive structured cloning. */
  readonly init: unknown;
  /** Longest a worker may take to load and set up. */
  readonly readyTimeoutMs?: number;
  /** Node heap of each worker in MB (Node's default when left out). */
  readonly heapMb?: number;
  /** V8 flags for each worker, such as `--single-threaded`. */
  readonly v8Flags?: readonly string[];
  /** The workers' whole environment; by default only PATH and TMPDIR (no keys or URLs for a plugin to find). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the compiled worker and job module are kept; the package's node_modules/.cache/quantchat by default. */
  readonly bundleDir?: string;
}

/** How `run` reports and shapes: progress, and what each job looks like on its way to a worker. */
export interface RunOptions<Job, Result> {
  /** Called after each job with how many are done and which job it was: a progress bar, a row stored. */
  readonly onSettled?: (done: number, total: number, index: number, outcome: JobOutcome<Result>) => void;
  /**
   * The message a job travels as, given the worker's `memo` (a fresh Map per worker process that
   * only this function touches): lets a caller send bulky data once per worker, not once per job.
   */
  readonly message?: (job: Job, memo: Map<string, unknown>) => unknown;
}

/** A job's outcome: its result, or the one-line reason it failed. */
export type JobOutcome<Result> =
  | { readonly ok: true; readonly result: Result }
  | { readonly ok: false; readonly error: string };

interface Worker {
  readonly child: ChildProcess;
  readonly memo: Map<string, unknown>;
  job?: { readonly index: number; readonly settle: (outcome: JobOutcome<unknown>) => void };
}

/**
 * A fixed set of worker PROCESSES that run jobs from a queue, one at a time each: a backtest is CPU
 * work in a plugin sandbox, so processes give real parallelism and a plugin that crashes its process
 * costs one job, not the sweep. Outcomes come back by job index, whatever order the workers finish
 * in. A worker that dies is replaced; its job fails with the reason.
 * @example
 * const pool = await ProcessPool.start({ workers: 4, module: JOB_MODULE, init: { databaseUrl, cacheDir } });
 * try { const outcomes = await pool.run(jobs, { onSettled: (done) => bar.update(done, done) }); } finally { await pool.close(); }
 */
export class ProcessPool<Job, Result> {
  private readonly workers = new Set<Worker>();
  private closed = false;

  private constructor(
    private readonly options: ProcessPoolOptions,
    private readonly launch: Launch,
  ) {}

  /** Forks the workers and waits until every one has set up; throws with the first setup failure. */
  static async start<Job, Result>(options: ProcessPoolOptions): Promise<ProcessPool<Job, Result>> {
    const pool = new ProcessPool<Job, Result>(options, await launch(options.module, options.bundleDir));
    try {
      await Promise.all(Array.from({ length: Math.max(1, options.workers) }, () => pool.spawn()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.workers.size;
  }

  /** Runs every job; resolves with their outcomes in job order. */
  async run(jobs: readonly Job[], options: RunOptions<Job, Result> = {}): Promise<JobOutcome<Result>[]> {
    const outcomes: JobOutcome<Result>[] = new Array(jobs.length);
    let next = 0;
    let done = 0;
    await new Promise<void>((resolve, reject) => {
      if (jobs.length === 0) {
        resolve();
        return;
      }
      const feed = (worker: Worker): void => {
        if (this.closed) {
          reject(new Error("the pool was closed"));
          return;
        }
        if (next >= jobs.length) return;
        const index = next++;
        worker.job = {
          index,
          settle: (outcome) => {
            worker.job = undefined;
            outcomes[index] = outcome as JobOutcome<Result>;
            done++;
            options.onSettled?.(done, jobs.length, index, outcome as JobOutcome<Result>);
            if (done === jobs.length) resolve();
            else if (this.workers.has(worker)) feed(worker);
            else this.spawn().then(feed, reject); // the worker died: a fresh one takes over
          },
        };
        const job = jobs[index] as Job;
        this.post(worker, { kind: "job", id: index, job: options.message ? options.message(job, worker.memo) : job });
      };
      for (const worker of this.workers) feed(worker);
    });
    return outcomes;
  }

  /** Disconnects every worker (they exit) and waits for them; kills any that linger. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.workers].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.child.exitCode !== null || worker.child.signalCode !== null) return resolve();
            const timer = setTimeout(() => worker.child.kill("SIGKILL"), 5_000);
            worker.child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            if (worker.child.connected) worker.child.disconnect();
            else worker.child.kill("SIGKILL");
          }),
      ),
    );
    this.workers.clear();
  }

  private spawn(): Promise<Worker> {
    const child = fork(this.launch.entry, [], {
      execArgv: [
        "--no-node-snapshot",
        ...(this.options.heapMb ? [`--max-old-space-size=${this.options.heapMb}`] : []),
        ...(this.options.v8Flags ?? []),
      ],
      env: this.options.env ?? minimalEnv(),
      serialization: "advanced",
      // stdout is the parent's report (and its --json); a worker has nothing to say there.
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    const worker: Worker = { child, memo: new Map() };
    // In the set from the start, so that close() reaches a worker still setting up.
    this.workers.add(worker);
    return new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error("a sweep worker did not start in time"));
      }, this.options.readyTimeoutMs ?? 60_000);
      child.on("message", (message: FromWorker) => {
        if (message.kind === "ready") {
          clearTimeout(timer);
          resolve(worker);
        } else if (message.kind === "setup-failed") {
          clearTimeout(timer);
          child.kill("SIGKILL");
          reject(new Error(message.message));
        } else if (worker.job && worker.job.index === message.id) {
          worker.job.settle(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.message });
        }
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        this.workers.delete(worker);
        reject(new Error(`a sweep worker exited while starting (${signal ?? `code ${code}`})`));
        worker.job?.settle({ ok: false, error: `the worker running it exited (${signal ?? `code ${code}`})` });
      });
      this.post(worker, { kind: "init", module: this.launch.module, init: this.options.init });
    });
  }

  private post(worker: Worker, message: ToWorker): void {
    try {
      worker.child.send(message);
    } catch {
      worker.child.kill("SIGKILL");
    }
  }
}

/** What a worker forks and then loads. */
interface Launch {
  readonly entry: string;
  readonly module: string;
}

/**
 * Both compiled (worker.ts and a TypeScript job module bundled, loaded by plain node in about a
 * quarter of tsx's time), or both through tsx when either cannot be compiled.
 */
async function launch(module: string, dir: string | undefined): Promise<Launch> {
  const typescript = /\.[cm]?ts$/.test(module);
  const [entry, job] = await Promise.all([
    compiledEntry(SOURCE, FALLBACK, { dir }),
    typescript ? compiledEntry(module, module, { dir }) : module,
  ]);
  if (entry === FALLBACK || (typescript && job === module)) return { entry: FALLBACK, module };
  return { entry, module: job };
}

/** Enough for Node and tsx to run, nothing else: a worker may run plugin code. */
function minimalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return env;
}
