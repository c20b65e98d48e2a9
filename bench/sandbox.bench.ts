import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ivm from "isolated-vm";
import { STATE_CAP_BYTES } from "../core/plugins/host-api.ts";
import { loadManifest } from "../core/plugins/manifest.ts";
import { validateParams } from "../core/plugins/params.ts";
import { isolateBundle } from "../core/plugins/sandbox/bundle.ts";
import { LocalSandbox } from "../core/plugins/sandbox/local.ts";
import { SandboxPool } from "../core/plugins/sandbox/pool.ts";
import type { SandboxSpec } from "../core/plugins/sandbox/protocol.ts";
import type { Benchmark, BenchResult } from "./types.ts";

// Isolate cold start and idle memory (issue 3). Cold start is everything between "this strategy instance
// should exist" and "its init(ctx) has run": a new isolate and context, the bootstrap with the bundled
// indicators (from V8's code cache after the first), hardening, compiling and evaluating the plugin,
// attaching its hooks, init. Measured beside a bare isolated-vm isolate + context in the same run.

const here = path.dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;

const sandbox: Benchmark = async ({ quick }) => {
  const n = quick ? 15 : 40;
  const { spec, params } = plugin();
  isolateBundle(); // built once per process (esbuild); not part of a cold start

  const bare = average(n, () => {
    const isolate = new ivm.Isolate({ memoryLimit: spec.limits.memoryMb });
    isolate.createContextSync();
    isolate.dispose();
  });

  for (let i = 0; i < 3; i++) await (await start(spec, params, `warm${i}`)).dispose();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const instance = await start(spec, params, `cold${i}`);
    total += performance.now() - t0;
    await instance.dispose();
  }
  const local = total / n;

  const pool = new SandboxPool({ workers: 1, unref: true });
  let pooled = 0;
  try {
    await (await pool.createInstance({ ...spec, instanceId: "pool-warm" })).dispose();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const instance = await pool.createInstance({ ...spec, instanceId: `pool${i}` });
      await instance.init({ params, symbols: ["BTC/USDT"], state: null, snapshot: { cash: 1, allocation: 1 } });
      pooled += performance.now() - t0;
      await instance.dispose();
    }
  } finally {
    await pool.dispose();
  }
  pooled /= n;

  const memory = await idleMemory(spec, params, quick ? 10 : 30);
  return [
    {
      name: "sandbox: cold start per instance, in process (isolate + bootstrap + plugin + init)",
      value: local,
      unit: "ms",
      reference: "bare isolate + context",
      referenceValue: bare,
      ratio: bare / local,
      target: "<= 5 ms",
    },
    {
      name: "sandbox: cold start per instance, in a pool worker (with IPC)",
      value: pooled,
      unit: "ms",
      reference: "bare isolate + context",
      referenceValue: bare,
      ratio: bare / pooled,
      target: "<= 5 ms",
    },
    {
      name: "sandbox: V8 heap per idle instance (after init)",
      value: memory.heap / MB,
      unit: "MB",
      reference: "bare isolate + context",
      referenceValue: memory.bareHeap / MB,
      ratio: memory.bareHeap / memory.heap,
    },
    {
      name: "sandbox: process RSS per idle instance",
      value: memory.rss / MB,
      unit: "MB",
      reference: "bare isolate + context",
      referenceValue: memory.bareRss / MB,
      ratio: memory.bareRss / memory.rss,
    },
  ] satisfies BenchResult[];
};

export default sandbox;

async function start(spec: SandboxSpec, params: Readonly<Record<string, number | boolean | string>>, id: string) {
  const instance = await LocalSandbox.create({ ...spec, instanceId: id });
  const out = await instance.init({ params, symbols: ["BTC/USDT"], state: null, snapshot: { cash: 1, allocation: 1 } });
  if (out.failure) throw new Error(out.failure.message);
  return instance;
}

/** Heap and RSS growth per instance held idle, against the same number of bare isolates. */
async function idleMemory(
  spec: SandboxSpec,
  params: Readonly<Record<string, number | boolean | string>>,
  count: number,
) {
  const settle = () => new Promise((r) => setTimeout(r, 50));
  await settle();
  let rss0 = process.memoryUsage.rss();
  const bare: ivm.Isolate[] = [];
  let bareHeap = 0;
  for (let i = 0; i < count; i++) {
    const isolate = new ivm.Isolate({ memoryLimit: spec.limits.memoryMb });
    isolate.createContextSync();
    bare.push(isolate);
    const s = isolate.getHeapStatisticsSync();
    bareHeap += s.used_heap_size + s.externally_allocated_size;
  }
  await settle();
  const bareRss = (process.memoryUsage.rss() - rss0) / count;
  for (const isolate of bare) isolate.dispose();
  await settle();

  rss0 = process.memoryUsage.rss();
  const held: LocalSandbox[] = [];
  let heap = 0;
  for (let i = 0; i < count; i++) held.push(await start(spec, params, `idle${i}`));
  await settle();
  const rss = (process.memoryUsage.rss() - rss0) / count;
  for (const instance of held) {
    const m = (
      instance as unknown as { sandbox: { memory(): { heapBytes: number; externalBytes: number } } }
    ).sandbox.memory();
    heap += m.heapBytes + m.externalBytes;
    await instance.dispose();
  }
  return { heap: heap / count, rss, bareHeap: bareHeap / count, bareRss };
}

function average(n: number, fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t0) / n;
}

/** plugins/sma-cross, or the test fixture with the same rules. */
function plugin(): { spec: SandboxSpec; params: Readonly<Record<string, number | boolean | string>> } {
  const builtIn = path.join(here, "../plugins/sma-cross");
  const dir = loadable(builtIn) ? builtIn : path.join(here, "../test/fixtures/plugins/sma-cross");
  const { manifest } = loadManifest(dir);
  const applied = validateParams(manifest, {});
  if (!applied.ok) throw new Error("sma-cross defaults do not validate");
  return {
    spec: {
      instanceId: "bench",
      pluginId: manifest.id,
      code: readFileSync(path.join(dir, manifest.entry), "utf8"),
      filename: `${manifest.id}/${manifest.entry}`,
      limits: manifest.limits,
      permissions: manifest.permissions,
      stateCapBytes: STATE_CAP_BYTES,
    },
    params: applied.params,
  };
}

function loadable(dir: string): boolean {
  try {
    loadManifest(dir);
    return true;
  } catch {
    return false;
  }
}
