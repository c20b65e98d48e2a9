import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { BusEvents } from "../../../core/bus/events.ts";
import { MemoryBus } from "../../../core/bus/memory-bus.ts";
import { SandboxUnavailableError } from "../../../core/plugins/sandbox/failure.ts";
import { SandboxPool, type SandboxPoolOptions } from "../../../core/plugins/sandbox/pool.ts";
import type { PooledInstance } from "../../../core/plugins/sandbox/pooled-instance.ts";
import { StrategyRunner } from "../../../core/strategy/runner.ts";
import { cachedEntry } from "../../../core/util/compiled-entry.ts";
import { candlesFrom, fixtureSpec, HOUR } from "./helpers.ts";

const BTC = "BTC/USDT";
const flat = { cash: 10_000, allocation: 10_000 };
let pool: SandboxPool | undefined;

afterEach(async () => {
  await pool?.dispose();
  pool = undefined;
});

function setup(options: SandboxPoolOptions = {}) {
  const bus = new MemoryBus();
  const failed: BusEvents["plugin.failed"][] = [];
  const states: BusEvents["strategy.state"][] = [];
  bus.subscribe("plugin.failed", (e) => {
    failed.push(e);
  });
  bus.subscribe("strategy.state", (e) => {
    states.push(e);
  });
  pool = new SandboxPool({
    workers: 1,
    unref: true,
    bus,
    restart: { backoffMs: [20], maxFailures: 3, windowMs: 60_000 },
    ...options,
  });
  return { pool, bus, failed, states };
}

async function until(what: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

function kill(p: SandboxPool, instance: PooledInstance): number {
  const pid = p.workerPid(instance.instanceId);
  if (pid === undefined) throw new Error("no worker");
  process.kill(pid, "SIGKILL");
  return pid;
}

describe("a worker killed with SIGKILL", () => {
  it("fails its instance with cause crash, restarts it on a new worker and re-initialises it with its saved state", async () => {
    const { pool: p, bus, failed, states } = setup();
    const instance = await p.createInstance(fixtureSpec("stateful"), { strategyId: "counter" });
    const logs: string[] = [];
    const saved: string[] = [];
    const runner = new StrategyRunner({
      strategyId: "counter",
      symbols: [BTC],
      params: { every: 100 },
      sandbox: instance,
      bus,
      saveState: (_, json) => {
        saved.push(json);
      },
      onLog: (l) => logs.push(l.message),
    });
    await runner.start({ snapshot: flat });
    const candles = candlesFrom([1, 2, 3, 4, 5, 6]);
    await runner.processCandles({ [BTC]: candles.slice(0, 3) }, { snapshot: flat });
    expect(JSON.parse(saved.at(-1)!)).toEqual({ count: 3 });

    const oldPid = kill(p, instance);
    await until(() => instance.failures.length === 1 && instance.status === "ready");
    await bus.drain();
    expect(p.workerPid(instance.instanceId)).not.toBe(oldPid);
    expect(failed).toEqual([
      { strategyId: "counter", pluginId: "stateful", cause: "crash", message: expect.stringMatching(/exited/) },
    ]);
    expect(states.map((s) => s.state)).toEqual(["running", "failed", "running"]);
    expect(logs).toEqual(["init count=none", "init count=3"]);

    const more = await runner.processCandles(
      { [BTC]: candles.slice(3).map((c) => ({ ...c, time: c.time + HOUR })) },
      { snapshot: flat },
    );
    expect(more.failed).toBeUndefined();
    expect(JSON.parse(saved.at(-1)!)).toEqual({ count: 6 });
  });

  it("takes down every instance on that worker, and every one comes back", async () => {
    const { pool: p } = setup();
    const a = await p.createInstance(fixtureSpec("sma-cross"));
    const b = await p.createInstance(fixtureSpec("sma-cross"));
    expect(p.workerPid(a.instanceId)).toBe(p.workerPid(b.instanceId));
    kill(p, a);
    await until(
      () => a.status === "ready" && b.status === "ready" && a.failures.length === 1 && b.failures.length === 1,
    );
    expect(a.lastFailure?.cause).toBe("crash");
    expect(b.lastFailure?.cause).toBe("crash");
  });
});

describe("repeated failures", () => {
  it("disable the instance until an operator re-enables it", async () => {
    const { pool: p, bus, states } = setup();
    const instance = await p.createInstance(fixtureSpec("sma-cross"), { strategyId: "flaky" });
    for (let n = 1; n <= 2; n++) {
      kill(p, instance);
      await until(() => instance.failures.length === n && instance.status === "ready");
    }
    kill(p, instance);
    await until(() => instance.status === "disabled");
    await bus.drain();
    expect(states.at(-1)).toEqual({
      strategyId: "flaky",
      state: "disabled",
      reason: expect.stringMatching(/failed 3 times in 1 min, disabled until re-enabled/),
    });
    await expect(instance.stop(flat)).rejects.toBeInstanceOf(SandboxUnavailableError);
    // Disabled stays disabled: no restart is scheduled.
    await new Promise((r) => setTimeout(r, 100));
    expect(instance.status).toBe("disabled");

    await p.enable(instance.instanceId);
    expect(instance.status).toBe("ready");
    expect(instance.failures).toEqual([]);
    const runner = new StrategyRunner({
      strategyId: "flaky",
      symbols: [BTC],
      params: { fast: 2, slow: 4 },
      sandbox: instance,
    });
    await runner.start({ snapshot: flat });
    const r = await runner.processCandles({ [BTC]: candlesFrom([10, 10, 10, 10, 10, 12]) }, { snapshot: flat });
    expect(r.intents.map((e) => e.step)).toEqual([5]);
  });

  it("a plugin that times out is restarted like a crash, with its own cause", async () => {
    const { pool: p, failed, bus } = setup();
    const instance = await p.createInstance(fixtureSpec("hostile"), { strategyId: "looper" });
    const runner = new StrategyRunner({
      strategyId: "looper",
      symbols: [BTC],
      params: { attack: "loop", at: 1 },
      sandbox: instance,
    });
    await runner.start({ snapshot: flat });
    const r = await runner.processCandles({ [BTC]: candlesFrom([1, 2, 3]) }, { snapshot: flat });
    expect(r.failed?.cause).toBe("timeout");
    expect(["restarting", "starting", "ready"]).toContain(instance.status);
    await until(() => instance.status === "ready");
    await bus.drain();
    expect(failed.map((f) => f.cause)).toEqual(["timeout"]);
  });
});

describe("re-initialising after a restart", () => {
  it("counts a failing re-initialisation (the candle store is down, say) as a failure until disabled", async () => {
    const { pool: p, bus, failed } = setup();
    const instance = await p.createInstance(fixtureSpec("sma-cross"), { strategyId: "no-store" });
    let loads = 0;
    const runner = new StrategyRunner({
      strategyId: "no-store",
      symbols: [BTC],
      params: { fast: 2, slow: 4 },
      warmup: 4,
      sandbox: instance,
      loadWarmup: async () => {
        if (++loads > 1) throw new Error("candle store unavailable");
        return { [BTC]: candlesFrom([1, 2, 3, 4]) };
      },
    });
    expect(await runner.start({ snapshot: flat })).toBeUndefined();
    kill(p, instance);
    await until(() => instance.status === "disabled");
    await bus.drain();
    expect(failed.map((f) => f.cause)).toEqual(["crash", "error", "error"]);
    expect(failed[1]?.message).toBe("re-initialising after a restart failed: candle store unavailable");
  });
});

describe("the host's wall-clock deadline", () => {
  it("kills a worker that does not answer, even when the worker's own watchdog would wait longer", async () => {
    const { pool: p } = setup({
      graceMs: 60_000,
      deadlinePaddingMs: 300,
      restart: { backoffMs: [20], maxFailures: 3, windowMs: 60_000 },
    });
    const instance = await p.createInstance(fixtureSpec("hostile"), { strategyId: "wedged" });
    const pid = p.workerPid(instance.instanceId);
    const runner = new StrategyRunner({
      strategyId: "wedged",
      symbols: [BTC],
      params: { attack: "reject-hostile", at: 0 },
      sandbox: instance,
    });
    await runner.start({ snapshot: flat });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const started = Date.now();
    const r = await runner.processCandles({ [BTC]: candlesFrom([1]) }, { snapshot: flat });
    clearInterval(ticker);
    expect(r.failed).toEqual({
      cause: "timeout",
      message: expect.stringMatching(/no answer within \d+ ms; sandbox worker killed/),
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ticks).toBeGreaterThan(20);
    await until(() => instance.status === "ready");
    expect(p.workerPid(instance.instanceId)).not.toBe(pid);
  });
});

describe("lifecycle", () => {
  it("a plugin that does not load is refused at creation, with its cause", async () => {
    const { pool: p, failed, bus } = setup();
    await expect(p.createInstance(fixtureSpec("toplevel-loop"), { strategyId: "never" })).rejects.toMatchObject({
      cause: "timeout",
    });
    await bus.drain();
    expect(failed.map((f) => [f.strategyId, f.cause])).toEqual([["never", "timeout"]]);
    expect(p.stats().instances).toEqual([]);
  });

  it("dispose ends instances and workers", async () => {
    const { pool: p } = setup();
    const instance = await p.createInstance(fixtureSpec("sma-cross"));
    const pid = p.workerPid(instance.instanceId)!;
    expect(p.stats().workers).toEqual([{ pid, instances: 1 }]);
    await p.dispose();
    expect(instance.status).toBe("disposed");
    expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe("a sandbox worker process", () => {
  it("is started from a fresh compiled bundle of worker.ts (plain node, no tsx)", async () => {
    const { pool: p } = setup();
    const instance = await p.createInstance(fixtureSpec("stateful"), { strategyId: "compiled" });
    expect(p.workerPid(instance.instanceId)).toBeGreaterThan(0);
    // The worker renames its process, so its command line cannot tell; the bundle it was forked from can.
    const source = fileURLToPath(new URL("../../../core/plugins/sandbox/worker.ts", import.meta.url));
    expect(cachedEntry(source)).toMatch(/\/worker-[0-9a-f]{12}\.mjs$/);
  });
});
