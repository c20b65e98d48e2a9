import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStore } from "../../../core/store/database.ts";
import { startWalCheckpointer } from "../../../core/store/wal-checkpointer.ts";

const PAGE = 4096;

/** Lets timers and the worker's messages run between writes, as an engine between candles does. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function waitFor(condition: () => boolean, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

describe("the background WAL checkpointer", () => {
  let dir: string;
  let file: string;
  let writer: SQLite.Database;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-ckpt-"));
    file = path.join(dir, "ckpt.db");
    writer = new SQLite(file);
    writer.pragma("journal_mode = WAL");
    writer.pragma("synchronous = NORMAL");
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  });

  afterEach(() => {
    if (writer.open) writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies committed pages into the database file while the writer never checkpoints", async () => {
    const checkpointer = startWalCheckpointer(writer, file, { minFrames: 1, busyMs: 1, idleMs: 5 });
    writer.pragma("wal_autocheckpoint = 0");
    try {
      const insert = writer.prepare("INSERT INTO t (v) VALUES (?)");
      for (let i = 0; i < 200; i++) {
        insert.run(`marker-${i}-${"x".repeat(200)}`);
        if (i % 10 === 0) await turn();
      }
      // The rows reach the main file only through a checkpoint, and this connection runs none.
      const inFile = () => readFileSync(file).includes("marker-199-");
      expect(await waitFor(inFile)).toBe(true);
      expect(checkpointer.running).toBe(true);
    } finally {
      await checkpointer.stop();
    }
    expect(checkpointer.running).toBe(false);
  });

  it("keeps the log bounded under sustained writes: the writer's own checkpoint still restarts it", async () => {
    const restartFrames = 200;
    const checkpointer = startWalCheckpointer(writer, file, { restartFrames, minFrames: 16, busyMs: 1, idleMs: 5 });
    try {
      const insert = writer.prepare("INSERT INTO t (v) VALUES (?)");
      // About a page per row: 30 times the restart size goes through the log, in bursts. Never
      // restarted, the log would hold all of it; restarted, a few times the restart size at most (a
      // restart waits while a checkpoint of ours holds the lock, longer on a loaded machine).
      const rows = 30 * restartFrames;
      for (let i = 0; i < rows; i++) {
        insert.run("y".repeat(3_000));
        if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(statSync(`${file}-wal`).size).toBeLessThan(15 * restartFrames * (PAGE + 24));
      expect((writer.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n).toBe(rows);
    } finally {
      await checkpointer.stop();
    }
  });

  it("closes its connection on stop, so the writer's close is the last one and removes the log", async () => {
    const checkpointer = startWalCheckpointer(writer, file, { busyMs: 1 });
    writer.prepare("INSERT INTO t (v) VALUES (?)").run("z");
    await checkpointer.stop();
    writer.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("when the worker cannot run, the writer goes back to SQLite's own checkpoints; stop still resolves", async () => {
    const checkpointer = startWalCheckpointer(writer, path.join(dir, "missing", "nowhere.db"), { busyMs: 1 });
    expect(writer.pragma("wal_autocheckpoint", { simple: true })).toBe(16_384);
    expect(await waitFor(() => !checkpointer.running)).toBe(true);
    expect(writer.pragma("wal_autocheckpoint", { simple: true })).toBe(1_000);
    await checkpointer.stop();
  });
});

describe("createStore with the checkpointer", () => {
  it("closes cleanly: the log is folded back and removed, the rows are in the file", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-ckpt-store-"));
    const file = path.join(dir, "store.db");
    try {
      const store = createStore(file);
      store.sqlite!.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
      store.sqlite!.prepare("INSERT INTO t (v) VALUES (?)").run("kept");
      await store.close();
      expect(existsSync(`${file}-wal`)).toBe(false);
      const reader = new SQLite(file, { readonly: true });
      expect(reader.prepare("SELECT v FROM t").all()).toEqual([{ v: "kept" }]);
      reader.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a process killed while its checkpoints run in the background", () => {
  const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
  const WRITER = path.join(import.meta.dirname, "fixtures/checkpoint-crash/writer.ts");

  it("keeps every committed row and an intact database (SIGKILL, three times)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-ckpt-crash-"));
    const file = path.join(dir, "crash.db");
    try {
      let committed = -1;
      for (let round = 0; round < 3; round++) {
        const child = spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", WRITER], {
          cwd: REPO_ROOT,
          env: { PATH: process.env.PATH ?? "", QC_DB: file },
          stdio: ["ignore", "pipe", "inherit"],
        });
        // Killed mid-stream, once the log has gone through several background checkpoints.
        const target = committed + 30_000;
        committed = await new Promise<number>((resolve, reject) => {
          let last = committed;
          let buffered = "";
          child.stdout.on("data", (chunk: Buffer) => {
            buffered += chunk.toString();
            const lines = buffered.split("\n");
            buffered = lines.pop() ?? "";
            for (const line of lines) last = Number(line);
            if (last >= target && child.exitCode === null && !child.killed) child.kill("SIGKILL");
          });
          child.once("exit", (_code, signal) =>
            signal === "SIGKILL" ? resolve(last) : reject(new Error(`writer ended without being killed (${signal})`)),
          );
        });
        const reader = new SQLite(file);
        try {
          expect(reader.pragma("integrity_check", { simple: true })).toBe("ok");
          const { n, max } = reader.prepare("SELECT count(*) AS n, max(id) AS max FROM rows").get() as {
            n: number;
            max: number;
          };
          // Every row the writer reported is there, and nothing else is missing below the last one.
          expect(max).toBeGreaterThanOrEqual(committed);
          expect(n).toBe(max + 1);
          committed = max;
        } finally {
          reader.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
