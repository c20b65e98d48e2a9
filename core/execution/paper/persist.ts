import type { Clock } from "../../clock.ts";
import type { Balances } from "../../domain/index.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/database.ts";
import { saveBalances } from "../../store/repositories/balances.ts";

/**
 * Writes a paper account's changed balances to the `balances` table, write-behind: changes made in one
 * turn of the event loop go out as one write. That is safe because the table is a mirror (a restart
 * derives balances from the recorded fills, see restore.ts), and it keeps balance writes off the order
 * path. On SQLite the rows go through one prepared statement on the raw handle.
 * @example const mirror = new BalanceMirror(store, "paper", clock); mirror.schedule(() => wallets.takeDirty())
 */
export class BalanceMirror {
  private pending: Promise<void> | undefined;
  /** The last write scheduled; the next one starts after it. */
  private queue: Promise<void> = Promise.resolve();
  private readonly upsert;

  constructor(
    private readonly store: Store,
    private readonly accountId: string,
    private readonly clock: Clock,
    private readonly log?: Logger,
  ) {
    this.upsert = store.sqlite?.prepare(
      `INSERT INTO balances (account_id, currency, free, used, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, currency) DO UPDATE SET free = excluded.free, used = excluded.used,
         updated_at = excluded.updated_at`,
    );
  }

  /**
   * Writes what `take` returns at the end of this turn; calls in the same turn share the write. Writes
   * run one after another: on PostgreSQL two overlapping writes could commit out of order and leave
   * the older balances in the table.
   */
  schedule(take: () => Balances): Promise<void> {
    this.pending ??= this.queue = this.queue
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(async () => {
        this.pending = undefined;
        await this.write(take()).catch((error: unknown) =>
          this.log?.error({ err: error, accountId: this.accountId }, "could not save paper balances"),
        );
      });
    return this.pending;
  }

  /** Resolves once the scheduled write (if any) is done. */
  async flush(): Promise<void> {
    await this.pending;
  }

  private async write(balances: Balances): Promise<void> {
    const entries = Object.entries(balances);
    if (entries.length === 0) return;
    const now = this.clock.now();
    const { sqlite } = this.store;
    if (this.upsert && sqlite && !sqlite.inTransaction) {
      const upsert = this.upsert;
      sqlite.transaction(() => {
        for (const [currency, b] of entries) upsert.run(this.accountId, currency, b.free, b.used, now);
      })();
      return;
    }
    await saveBalances(this.store.db, this.accountId, balances, now);
  }
}
