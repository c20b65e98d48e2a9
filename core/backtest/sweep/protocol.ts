// Messages between a ProcessPool and its workers (Node IPC, "advanced" serialization: typed arrays,
// Infinity and undefined survive the trip).

/** What a worker module exports: `setup` once per process, then `run` per job. */
export interface WorkerModule<Init, Job, Result> {
  setup(init: Init): Promise<void> | void;
  run(job: Job): Promise<Result>;
}

export type ToWorker =
  | { readonly kind: "init"; readonly module: string; readonly init: unknown }
  | { readonly kind: "job"; readonly id: number; readonly job: unknown };

export type FromWorker =
  | { readonly kind: "ready" }
  | { readonly kind: "setup-failed"; readonly message: string }
  | { readonly kind: "done"; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: "done"; readonly id: number; readonly ok: false; readonly message: string };
