// A sandbox worker process: holds the isolates of the instances the pool placed here and answers the
// host's requests. Started by WorkerClient through worker-entry.js, with an empty environment (no
// secrets to find even if an isolate were escaped) and a capped Node heap.

import { classifyHostError, oneLine, PluginFailure } from "./failure.ts";
import { IsolateSandbox } from "./isolate-sandbox.ts";
import type { FromWorker, ToWorker } from "./worker-protocol.ts";

const instances = new Map<string, IsolateSandbox>();
let config: { bundle: string; rssLimitBytes: number; graceMs: number } | undefined;

function send(message: FromWorker): void {
  // The host may be gone (it disconnects to shut us down); an answer nobody reads is not an error.
  if (!process.connected) return;
  process.send?.(message, undefined, {}, () => undefined);
}

function fail(id: number, error: unknown): void {
  const failure = error instanceof PluginFailure ? error : classifyHostError(error);
  send({ kind: "reply", id, ok: false, cause: failure.cause, message: oneLine(failure.message, 3000) });
}

/** isolated-vm lost control of an isolate: nothing in this process can be trusted to work. */
function catastrophe(message: string): void {
  process.stderr.write(`quantchat sandbox worker ${process.pid}: isolated-vm catastrophic error: ${message}\n`);
  process.exit(70);
}

/** Memory V8 does not count against an isolate (native allocations, leaks) still shows in the RSS. */
function checkRss(instanceId: string, sandbox: IsolateSandbox): void {
  if (!config || process.memoryUsage.rss() <= config.rssLimitBytes) return;
  sandbox.dispose();
  instances.delete(instanceId);
  throw new PluginFailure(
    "memory",
    `the worker process grew past ${config.rssLimitBytes / 1024 / 1024} MB; instance stopped`,
  );
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.kind) {
    case "hello":
      config = { bundle: message.bundle, rssLimitBytes: message.rssLimitMb * 1024 * 1024, graceMs: message.graceMs };
      return;
    case "create": {
      try {
        if (!config) throw new Error("worker not configured");
        if (instances.has(message.spec.instanceId)) throw new Error(`instance ${message.spec.instanceId} exists`);
        const { sandbox, attach } = await IsolateSandbox.create(message.spec, {
          bundle: config.bundle,
          mode: "async",
          graceMs: config.graceMs,
          onCatastrophicError: catastrophe,
        });
        instances.set(message.spec.instanceId, sandbox);
        checkRss(message.spec.instanceId, sandbox);
        send({ kind: "reply", id: message.id, ok: true, output: attach });
      } catch (error) {
        fail(message.id, error);
      }
      return;
    }
    case "call": {
      const sandbox = instances.get(message.instanceId);
      if (!sandbox) {
        fail(message.id, new PluginFailure("crash", `no isolate for instance ${message.instanceId} in this worker`));
        return;
      }
      try {
        const output = await sandbox.callAsync(message.op, message.payload, message.window, message.cpuBudgetMs);
        checkRss(message.instanceId, sandbox);
        send({ kind: "reply", id: message.id, ok: true, output });
      } catch (error) {
        // The sandbox disposed itself; forget it so a restart can reuse the id.
        instances.delete(message.instanceId);
        fail(message.id, error);
      }
      return;
    }
    case "dispose":
      instances.get(message.instanceId)?.dispose();
      instances.delete(message.instanceId);
      send({ kind: "reply", id: message.id, ok: true, output: "" });
      return;
  }
}

process.on("message", (message) => {
  void handle(message as ToWorker);
});
// The host went away: an orphaned worker has no one to answer to.
process.on("disconnect", () => process.exit(0));
process.title = "quantchat-sandbox";
send({ kind: "ready", pid: process.pid });
