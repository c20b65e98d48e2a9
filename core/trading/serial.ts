/**
 * Runs async operations one at a time, in call order: an operation called while another runs starts
 * when it has settled (whether it succeeded or failed); one called while none runs starts at once.
 * What KeyedLock does for one key, without the map and the extra async frame: an account runs a few
 * operations per intent, tens of thousands of times in a backtest.
 * @example const serial = new Serial(); await serial.run(() => submit(intent))
 */
export class Serial {
  private tail: Promise<void> | undefined;

  run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    const result = previous ? previous.then(work, work) : work();
    const tail = result.then(settled, settled);
    this.tail = tail;
    void tail.then(() => {
      if (this.tail === tail) this.tail = undefined;
    });
    return result;
  }

  /** Resolves once every operation called so far has settled. */
  async idle(): Promise<void> {
    while (this.tail) await this.tail;
  }
}

function settled(): void {}
