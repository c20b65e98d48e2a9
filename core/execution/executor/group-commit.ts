import type SQLite from "better-sqlite3";

interface Job {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit on a better-sqlite3 handle: writes queued during one turn of the event loop run in ONE
 * transaction, each inside its own savepoint (one failing write rolls back alone), and every caller's
 * promise resolves only after that transaction committed. Many writes, one WAL append: pages that
 * several rows touch (the same index leaf) are written once instead of once per row.
 * @example const commit = new GroupCommit(sqlite); const changed = await commit.enqueue(() => insert.run(row).changes > 0)
 */
export class GroupCommit {
  private readonly queue: Job[] = [];
  private scheduled = false;
  private readonly batch;
  private readonly item;

  constructor(private readonly sqlite: SQLite.Database) {
    this.item = sqlite.transaction((run: () => unknown) => run());
    this.batch = sqlite.transaction((jobs: readonly Job[], results: { ok: boolean; value: unknown }[]) => {
      for (const job of jobs) {
        try {
          // Nested inside the batch, better-sqlite3 makes this a SAVEPOINT.
          results.push({ ok: true, value: this.item(job.run) });
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
    const results: { ok: boolean; value: unknown }[] = [];
    try {
      this.batch.immediate(jobs, results);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of the batch is stored.
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const result = results[i] as { ok: boolean; value: unknown };
      if (result.ok) job.resolve(result.value);
      else job.reject(result.value);
    });
  }
}
