// A sweep worker process: loads the job module the pool names, sets it up once (a store, a cache
// directory), then runs the jobs it is sent one at a time. It exits when the pool disconnects.

import { pathToFileURL } from "node:url";
import type { FromWorker, ToWorker, WorkerModule } from "./protocol.ts";

let module: WorkerModule<unknown, unknown, unknown> | undefined;

function send(message: FromWorker): void {
  if (process.connected) process.send?.(message);
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]?.slice(0, 2000) ?? "";
}

process.on("message", async (message: ToWorker) => {
  if (message.kind === "init") {
    try {
      module = (await import(pathToFileURL(message.module).href)) as WorkerModule<unknown, unknown, unknown>;
      await module.setup(message.init);
      send({ kind: "ready" });
    } catch (error) {
      send({ kind: "setup-failed", message: oneLine(error) });
    }
    return;
  }
  try {
    if (!module) throw new Error("worker not set up");
    send({ kind: "done", id: message.id, ok: true, result: await module.run(message.job) });
  } catch (error) {
    send({ kind: "done", id: message.id, ok: false, message: oneLine(error) });
  }
});

// The pool disconnects to shut us down; whatever the job module holds open (a database pool) must not
// keep the process alive.
process.on("disconnect", () => process.exit(0));
