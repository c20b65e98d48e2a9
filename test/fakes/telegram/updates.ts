import type { Update } from "grammy/types";

interface Poller {
  readonly offset: number;
  readonly limit: number;
  readonly resolve: (updates: Update[]) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The update queue behind getUpdates, with Telegram's semantics: a call with `offset` confirms every
 * update below it (they are gone for good), returns up to `limit` from `offset` on, and with a
 * `timeout` waits that long for one to arrive. A request with an offset past an update proves the
 * bot has received it; a bot that asks for the next batch only after handling the last one has
 * also handled it by then.
 */
export class UpdateQueue {
  private queue: Update[] = [];
  private nextId = 1;
  private confirmedBelow = 0;
  private pollers = new Set<Poller>();
  private handledWaiters: { updateId: number; resolve: () => void }[] = [];

  /** Queues an update built around its new id and returns the id. */
  push(build: (updateId: number) => Update): number {
    const update = build(this.nextId++);
    this.queue.push(update);
    for (const poller of this.pollers) {
      const batch = this.take(poller.offset, poller.limit);
      if (batch.length === 0) continue;
      this.pollers.delete(poller);
      clearTimeout(poller.timer);
      poller.resolve(batch);
    }
    return update.update_id;
  }

  /** Answers a getUpdates call; `onAbandon` lets the server drop a poller whose client hung up. */
  poll(offset: number, limit: number, timeoutMs: number, onAbandon: (drop: () => void) => void): Promise<Update[]> {
    this.confirm(offset);
    const ready = this.take(offset, limit);
    if (ready.length > 0 || timeoutMs <= 0) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const poller: Poller = {
        offset,
        limit,
        resolve,
        timer: setTimeout(() => {
          this.pollers.delete(poller);
          resolve([]);
        }, timeoutMs),
      };
      this.pollers.add(poller);
      onAbandon(() => {
        clearTimeout(poller.timer);
        this.pollers.delete(poller);
      });
    });
  }

  /** Resolves once the bot has asked for updates past `updateId`, i.e. confirmed it. */
  handled(updateId: number): Promise<void> {
    if (this.confirmedBelow > updateId) return Promise.resolve();
    return new Promise((resolve) => this.handledWaiters.push({ updateId, resolve }));
  }

  /** Ends every waiting poll with no updates (the server is closing). */
  close(): void {
    for (const poller of this.pollers) {
      clearTimeout(poller.timer);
      poller.resolve([]);
    }
    this.pollers.clear();
  }

  private confirm(offset: number): void {
    if (offset <= this.confirmedBelow) return;
    this.confirmedBelow = offset;
    this.queue = this.queue.filter((u) => u.update_id >= offset);
    const done = this.handledWaiters.filter((w) => w.updateId < offset);
    this.handledWaiters = this.handledWaiters.filter((w) => w.updateId >= offset);
    for (const waiter of done) waiter.resolve();
  }

  private take(offset: number, limit: number): Update[] {
    return this.queue.filter((u) => u.update_id >= offset).slice(0, limit);
  }
}
