import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ProcessPool } from "../../../core/backtest/sweep/pool.ts";

const MODULE = path.join(import.meta.dirname, "sweep-fixture-job.ts");
type Job = { x: number; kind?: "throw" | "crash"; blob?: string };
type Result = { y: number; pid: number; blob?: string };

describe("ProcessPool", () => {
  it("runs jobs in worker processes and returns outcomes in job order, whatever the finishing order", async () => {
    const pool = await ProcessPool.start<Job, Result>({ workers: 2, module: MODULE, init: { factor: 10 } });
    try {
      const progress: number[] = [];
      const jobs = Array.from({ length: 9 }, (_, x) => ({ x }));
      const outcomes = await pool.run(jobs, { onSettled: (done) => progress.push(done) });
      expect(outcomes.map((o) => (o.ok ? o.result.y : o.error))).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
      const pids = new Set(outcomes.map((o) => (o.ok ? o.result.pid : 0)));
      expect(pids.size).toBe(2); // both workers took part
      expect(pids.has(process.pid)).toBe(false);
      expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      await pool.close();
    }
  });

  it("message() can send bulky data once per worker, through the worker's memo", async () => {
    const pool = await ProcessPool.start<Job, Result>({ workers: 2, module: MODULE, init: { factor: 1 } });
    try {
      let sent = 0;
      const outcomes = await pool.run(
        Array.from({ length: 8 }, (_, x) => ({ x })),
        {
          message: (job, memo) => {
            if (memo.has("blob")) return job;
            memo.set("blob", true);
            sent++;
            return { ...job, blob: "candles" };
          },
        },
      );
      expect(sent).toBe(2); // one per worker process
      expect(outcomes.every((o) => o.ok && o.result.blob === "candles")).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it("a job that throws fails alone; a worker that dies is replaced", async () => {
    const pool = await ProcessPool.start<Job, Result>({ workers: 1, module: MODULE, init: { factor: 2 } });
    try {
      const outcomes = await pool.run([{ x: 1 }, { x: 2, kind: "throw" }, { x: 3, kind: "crash" }, { x: 4 }]);
      expect(outcomes).toEqual([
        { ok: true, result: expect.objectContaining({ y: 2 }) },
        { ok: false, error: "bad job 2" },
        { ok: false, error: "the worker running it exited (code 3)" },
        { ok: true, result: expect.objectContaining({ y: 8 }) },
      ]);
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("reports a setup failure in one line and leaves no process behind", async () => {
    await expect(
      ProcessPool.start({ workers: 2, module: MODULE, init: { factor: 1, failSetup: true } }),
    ).rejects.toThrow(/^cannot open the store$/);
    const children = spawnSync("ps", ["-o", "comm=", "--ppid", String(process.pid)], { encoding: "utf8" });
    expect(children.stdout.split("\n").filter((name) => name && name !== "ps")).toEqual([]);
  });
});
