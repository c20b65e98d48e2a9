import { SandboxPool } from "./pool.ts";

let shared: SandboxPool | undefined;

/**
 * One small pool per process for tools that evaluate plugins (evaluatePlugin, `quantchat plugins
 * validate`): a single worker, started on first use, that does not keep the process alive while idle.
 * The engine builds its own pool with its bus and restart policy.
 * @example const sandbox = await sharedPool().createInstance(spec, { restart: false });
 */
export function sharedPool(): SandboxPool {
  shared ??= new SandboxPool({ workers: 1, unref: true });
  return shared;
}

/** Ends the shared pool's worker (tests and tools that want a clean exit). */
export async function closeSharedPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.dispose();
}
