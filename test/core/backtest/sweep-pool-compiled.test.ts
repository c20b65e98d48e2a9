import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProcessPool } from "../../../core/backtest/sweep/pool.ts";

const MODULE = path.join(import.meta.dirname, "sweep-fixture-job.ts");
type Job = { x: number };
type Result = { y: number; pid: number };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-pool-bundles-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The command line a worker process was started with. */
function commandOf(pid: number): string {
  return spawnSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim();
}

describe("ProcessPool's worker processes", () => {
  it("run worker.ts and the job module compiled, under plain node", async () => {
    const bundleDir = path.join(dir, "bundles");
    const pool = await ProcessPool.start<Job, Result>({ workers: 1, module: MODULE, init: { factor: 3 }, bundleDir });
    try {
      const [outcome] = await pool.run([{ x: 2 }]);
      expect(outcome).toEqual({ ok: true, result: expect.objectContaining({ y: 6 }) });
      const pid = outcome?.ok ? outcome.result.pid : 0;
      expect(commandOf(pid)).toMatch(new RegExp(`${bundleDir}/worker-[0-9a-f]+\\.mjs$`));
      expect(readdirSync(bundleDir).sort()).toEqual([
        expect.stringMatching(/^sweep-fixture-job-[0-9a-f]+\.mjs$/),
        expect.stringMatching(/^worker-[0-9a-f]+\.mjs$/),
      ]);
    } finally {
      await pool.close();
    }
  });

  it("run through tsx when no bundle can be kept", async () => {
    writeFileSync(path.join(dir, "a-file"), "where the bundle folder's parent should be");
    const bundleDir = path.join(dir, "a-file", "bundles");
    const pool = await ProcessPool.start<Job, Result>({ workers: 1, module: MODULE, init: { factor: 3 }, bundleDir });
    try {
      const [outcome] = await pool.run([{ x: 2 }]);
      expect(outcome).toEqual({ ok: true, result: expect.objectContaining({ y: 6 }) });
      expect(commandOf(outcome?.ok ? outcome.result.pid : 0)).toMatch(/sweep\/worker-entry\.js$/);
    } finally {
      await pool.close();
    }
  });
});
