import { openSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type SQLite from "better-sqlite3";

/**
 * Frames (pages) in the log at which the writer's own checkpoint runs and the log restarts: 64 MB.
 * Each restart costs the writer an fsync or three however little is left to copy, so they are rare.
 */
export const WAL_RESTART_FRAMES = 16_384;

/** SQLite's own default, restored when the background checkpointer is gone. */
const SQLITE_AUTOCHECKPOINT = 1_000;

/** Options of the background checkpointer; the defaults suit the order path. */
export interface WalCheckpointerOptions {
  /** The writer's `wal_autocheckpoint`: the log restarts at about this many frames. */
  readonly restartFrames?: number;
  /** Frames not yet in the database file that make a checkpoint worth its fsyncs. */
  readonly minFrames?: number;
  /** Poll interval while the log grows. */
  readonly busyMs?: number;
  /** Longest poll interval once the log stopped growing. */
  readonly idleMs?: number;
}

export interface WalCheckpointer {
  /** Closes the worker's connection; resolves once the thread has exited. */
  stop(): Promise<void>;
  /** False once the worker failed or stopped: the writer's own autocheckpoint is then all there is. */
  readonly running: boolean;
}

/**
 * Moves WAL checkpoints, and the fsyncs they carry, off the event loop. With `synchronous = NORMAL` a
 * commit only appends to the log; durability is paid when the log is copied back into the database
 * file (fsync the log, copy the pages, fsync the database), and SQLite does that inside whichever
 * commit crosses `wal_autocheckpoint`, stalling everything queued behind it: the order path's p99.
 * Here a worker thread with its own connection runs PASSIVE checkpoints as the log grows (PASSIVE never
 * takes the write lock, so the writer never waits for it), and the writer's own checkpoint, still
 * needed because only a writer restarts the log from its start, comes rarely and finds almost nothing
 * left to copy. Durability is unchanged: the same syncs happen, on another thread.
 * Sets the writer's `wal_autocheckpoint`, and puts SQLite's default back if the worker fails.
 * @example const checkpointer = startWalCheckpointer(sqlite, "var/quantchat.db"); await checkpointer.stop()
 */
export function startWalCheckpointer(
  sqlite: SQLite.Database,
  file: string,
  options: WalCheckpointerOptions = {},
): WalCheckpointer {
  const restartFrames = options.restartFrames ?? WAL_RESTART_FRAMES;
  sqlite.pragma(`wal_autocheckpoint = ${restartFrames}`);
  const worker = new Worker(new URL("./wal-checkpoint-worker.cjs", import.meta.url), {
    // Plain CommonJS: the worker needs no TypeScript loader (inherited flags would start one).
    execArgv: [],
    workerData: {
      file,
      driver: createRequire(import.meta.url).resolve("better-sqlite3"),
      ...descriptorsOf(sqlite, file),
      restartFrames,
      minFrames: options.minFrames ?? 256,
      busyMs: options.busyMs ?? 1,
      idleMs: options.idleMs ?? 200,
    },
  });
  // A helper thread must never keep a process alive that is otherwise done.
  worker.unref();
  let running = true;
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    worker.once("exit", () => {
      running = false;
      // Gone on its own (it failed): the writer checkpoints as SQLite would by default.
      if (!stopping && sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT}`);
      resolve();
    });
  });
  // An error ends the worker; its exit handler above takes it from there.
  worker.on("error", () => {});
  return {
    get running() {
      return running;
    },
    async stop() {
      stopping = true;
      // Referenced again while it winds down: awaiting the exit of an unreferenced thread lets the
      // process end first.
      worker.ref();
      if (running) worker.postMessage("stop");
      await exited;
    },
  };
}

interface Descriptors {
  /** The database file, for fdatasync; -1 when it could not be opened. */
  readonly dbFd: number;
  /** The wal-index (`-shm`), for reading its header; -1 when it could not be opened. */
  readonly shmFd: number;
}

/**
 * Read-only descriptors of a database file and its wal-index, opened once per file (per inode) and
 * NEVER closed: closing any descriptor of a file drops every POSIX lock the process holds on it,
 * SQLite's own included (https://www.sqlite.org/howtocorrupt.html, "POSIX advisory locks canceled by a
 * separate thread doing close()"). So at most a pair per database file stays open for the life of the
 * process; the worker borrows them (descriptors are process-wide) and opens no file itself.
 */
const descriptors = new Map<string, Descriptors & { readonly inodes: string }>();

function descriptorsOf(sqlite: SQLite.Database, file: string): Descriptors {
  // A read opens the log and creates its index on a new database.
  sqlite.pragma("user_version");
  const shm = `${file}-shm`;
  let inodes: string;
  try {
    inodes = `${statSync(file).ino}:${statSync(shm).ino}`;
  } catch {
    return { dbFd: -1, shmFd: -1 };
  }
  const known = descriptors.get(file);
  if (known?.inodes === inodes) return known;
  const opened = { dbFd: openOrNot(file), shmFd: openOrNot(shm), inodes };
  descriptors.set(file, opened);
  return opened;
}

function openOrNot(file: string): number {
  try {
    return openSync(file, "r");
  } catch {
    return -1;
  }
}
