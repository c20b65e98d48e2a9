import type { Maybe } from "../maybe.ts";

/**
 * Runs work one at a time per key: a submit, a poll and a reconciliation of the same order never
 * interleave, while different orders proceed in parallel.
 * @example await locks.run(clientOrderId, () => refresh(clientOrderId))
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Maybe<T>): Promise<T> {
    const previous = this.tails.get(key);
    if (previous) return this.queue(key, previous.then(work, work));
    const result = work();
    // Work that answered at once is done: nothing could have run in between, nothing to queue behind.
    return result instanceof Promise ? this.queue(key, result) : Promise.resolve(result);
  }

  /** True while work under `key` is queued or running: whoever comes now must wait its turn (run). */
  busy(key: string): boolean {
    return this.tails.has(key);
  }

  /**
   * Marks `key` busy until `work` (started by the caller while the key was free) settles. Work that
   * answered at once needs no holding: nothing could have run in between.
   * @example if (!locks.busy(id)) { const r = submit(); if (r instanceof Promise) locks.hold(id, r); }
   */
  hold<T>(key: string, work: Promise<T>): Promise<T> {
    return this.queue(key, work);
  }

  /** Resolves once every piece of work queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  private queue<T>(key: string, result: Promise<T>): Promise<T> {
    // Settles with `result`, either way. Only the last in line removes the entry; a later caller has
    // replaced it otherwise. (No async frame here: this sits on every submit.)
    const tail: Promise<void> = result.then(
      () => this.release(key, tail),
      () => this.release(key, tail),
    );
    this.tails.set(key, tail);
    return result;
  }

  private release(key: string, tail: Promise<void>): void {
    if (this.tails.get(key) === tail) this.tails.delete(key);
  }
}
