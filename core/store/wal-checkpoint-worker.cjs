"use strict";
// The background WAL checkpointer (see wal-checkpointer.ts). Plain CommonJS so that the worker thread
// starts without the TypeScript loader: it needs nothing but better-sqlite3 and node:fs. It opens no
// file but through SQLite, and closes none: the descriptors it reads and syncs are lent by the main
// thread (closing one would drop SQLite's locks on the file, process-wide).
const fs = require("node:fs");
const os = require("node:os");
const { parentPort, workerData } = require("node:worker_threads");

const Database = require(workerData.driver);
const { file, dbFd, shmFd, restartFrames, minFrames, busyMs, idleMs } = workerData;

const db = new Database(file, { fileMustExist: true });
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");

// The wal-index header (https://www.sqlite.org/walformat.html, "the WAL-index header"): mxFrame, the
// last frame of the log, at byte 16, and nBackfill, the last frame copied into the database, at byte
// 96, in native byte order. Reading them costs a pread, where asking SQLite costs a checkpoint.
const header = Buffer.alloc(100);
const readU32 = os.endianness() === "LE" ? (at) => header.readUInt32LE(at) : (at) => header.readUInt32BE(at);

/** { log, copied } in frames, or undefined when the wal-index cannot be read (then checkpoint on a timer). */
function probe() {
  if (shmFd < 0) return undefined;
  try {
    if (fs.readSync(shmFd, header, 0, header.length, 0) < header.length) return undefined;
  } catch {
    return undefined;
  }
  return { log: readU32(16), copied: readU32(96) };
}

let timer;
let lastLog = -1;
let lastAt = performance.now();
let idleFor = 0;
// Smoothed: frames the writer appends per ms, and how long one of our checkpoints takes.
let framesPerMs = 0;
let checkpointMs = 1;

function tick() {
  timer = undefined;
  const wal = probe();
  if (!wal) {
    checkpointNow();
    return schedule(idleMs);
  }
  const now = performance.now();
  if (wal.log >= lastLog && lastLog >= 0) {
    framesPerMs = 0.8 * framesPerMs + (0.2 * (wal.log - lastLog)) / Math.max(0.01, now - lastAt);
  }
  const pending = wal.log - wal.copied;
  const growing = wal.log !== lastLog;
  lastLog = wal.log;
  lastAt = now;
  // Checkpoint once enough is pending, but not where the writer's own autocheckpoint would fall while
  // ours runs: only a checkpoint that catches up between two of the writer's commits lets the next one
  // restart the log from its start. The writer's does (it runs between its own commits, finding little
  // left to copy); it cannot while ours holds the lock. A few frames are left alone even when the
  // writer is quiet: catching up completely would make its next commit restart the log, and a restart
  // costs that commit an fsync of the log's new header.
  const margin = Math.max(minFrames, 2 * framesPerMs * checkpointMs);
  if (pending >= minFrames && wal.log + margin < restartFrames) checkpointNow();
  if (growing) {
    idleFor = 0;
    return schedule(busyMs);
  }
  // Quiet: poll less and less often, up to idleMs, so an idle process costs next to nothing.
  idleFor = Math.min(idleMs, Math.max(busyMs, idleFor * 2));
  return schedule(idleFor);
}

function checkpointNow() {
  const started = performance.now();
  const result = checkpoint.get();
  // A checkpoint that could not copy up to the live end of the log (the writer appended meanwhile)
  // leaves the database file unsynced; syncing it here keeps that cost off the writer's next checkpoint.
  if (result.busy === 0 && result.checkpointed < result.log && dbFd >= 0) fs.fdatasyncSync(dbFd);
  checkpointMs = 0.8 * checkpointMs + 0.2 * (performance.now() - started);
}

function schedule(ms) {
  timer = setTimeout(tick, ms);
}

parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});

schedule(0);
