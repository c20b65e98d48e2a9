import type SQLite from "better-sqlite3";

interface Result {
  readonly ok: boolean;
  readonly value: unknown;
}

interface Job {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit on a better-sqlite3 handle: writes queued during one turn of the event loop run in ONE
 * transaction, and every caller's promise resolves only after that transaction committed. Many writes,
 * one WAL append: pages that several rows touch (the same index leaf) are written once instead of once
 * per row. One failing write must roll back alone, which a savepoint per write would give at the cost
 * of two statements and a page copy per write; writes almost never fail, so the batch first runs
 * without them, and only when it fails (and rolled back whole) runs again with a savepoint per write.
 * So a write may run twice, the first run rolled back: it must touch nothing but the database.
 * @example const commit = new GroupCommit(sqlite); const changed = await commit.enqueue(() => insert.run(row).changes > 0)
 */
export class GroupCommit {
  private readonly queue: Job[] = [];
  private scheduled = false;
  private readonly batch;
  private readonly isolated;

  constructor(private readonly sqlite: SQLite.Database) {
    this.batch = sqlite.transaction((jobs: readonly Job[], results: Result[]) => {
      for (const job of jobs) results.push({ ok: true, value: job.run() });
    });
    const item = sqlite.transaction((run: () => unknown) => run());
    this.isolated = sqlite.transaction((jobs: readonly Job[], results: Result[]) => {
      for (const job of jobs) {
        try {
          // Nested inside the batch, better-sqlite3 makes this a SAVEPOINT.
          results.push({ ok: true, value: item(job.run) });
        } catch (error) {
          results.push({ ok: false, value: error });
        }
      }
    });
  }

  enqueue<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // setImmediate, not a microtask: every write the current turn will make gets into the batch.
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    // A Kysely transaction is open across an await: joining it would tie our writes to its fate.
    if (this.sqlite.inTransaction) {
      this.scheduled = true;
      setImmediate(() => this.flush());
      return;
    }
    const jobs = this.queue.splice(0);
    let results: Result[] = [];
    try {
      this.batch.immediate(jobs, results);
    } catch {
      // Rolled back whole: again, each write in its own savepoint, so that only the failing one fails.
      results = [];
      try {
        this.isolated.immediate(jobs, results);
      } catch (error) {
        // The commit itself failed (disk full, I/O error): nothing of the batch is stored.
        for (const job of jobs) job.reject(error);
        return;
      }
    }
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i] as Job;
      const result = results[i] as Result;
      if (result.ok) job.resolve(result.value);
      else job.reject(result.value);
    }
  }
}
