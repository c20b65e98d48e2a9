/**
 * Runs work one at a time per key: a submit, a poll and a reconciliation of the same order never
 * interleave, while different orders proceed in parallel.
 * @example await locks.run(clientOrderId, () => refresh(clientOrderId))
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous ? previous.then(work, work) : work();
    // Settles with `result`, either way. Only the last in line removes the entry; a later caller has
    // replaced it otherwise. (No async frame here: this sits on every submit.)
    const tail: Promise<void> = result.then(
      () => this.release(key, tail),
      () => this.release(key, tail),
    );
    this.tails.set(key, tail);
    return result;
  }

  /** Resolves once every piece of work queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  private release(key: string, tail: Promise<void>): void {
    if (this.tails.get(key) === tail) this.tails.delete(key);
  }
}
