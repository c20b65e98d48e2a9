/**
 * Runs work one at a time per key: a submit, a poll and a reconciliation of the same order never
 * interleave, while different orders proceed in parallel.
 * @example await locks.run(clientOrderId, () => refresh(clientOrderId))
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous ? previous.then(work, work) : work();
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // Only the last in line removes the entry; a later caller has replaced it otherwise.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Resolves once every piece of work queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
