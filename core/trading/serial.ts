import type { Maybe } from "../execution/maybe.ts";

/**
 * Runs operations one at a time, in call order: an operation called while another runs starts when it
 * has settled (whether it succeeded or failed); one called while none runs starts at once, and one that
 * finishes at once (it answered without a promise: nothing could have run in between) leaves nothing
 * behind to wait for. What KeyedLock does for one key, without the map and the extra async frame: an
 * account runs a few operations per intent, tens of thousands of times in a backtest.
 * @example const serial = new Serial(); await serial.run(() => submit(intent))
 */
export class Serial {
  private tail: Promise<void> | undefined;

  run<T>(work: () => Maybe<T>): Promise<T> {
    const previous = this.tail;
    if (previous) return this.track(previous.then(work, work));
    let result: Maybe<T>;
    try {
      result = work();
    } catch (error) {
      return Promise.reject(error);
    }
    return result instanceof Promise ? this.track(result) : Promise.resolve(result);
  }

  /** True while an operation is pending: a new one must then go through run() and wait its turn. */
  get busy(): boolean {
    return this.tail !== undefined;
  }

  /**
   * The result of an operation the caller started itself because nothing was `busy`: a promise is
   * tracked (later operations wait for it), a value passes straight through, saving the caller a
   * closure, a promise and the microtask turn of an await (see Maybe).
   * @example const outcome = serial.busy ? serial.run(() => work(a)) : serial.adopt(work(a))
   */
  adopt<T>(result: Maybe<T>): Maybe<T> {
    return result instanceof Promise ? this.track(result) : result;
  }

  /** Resolves once every operation called so far has settled. */
  async idle(): Promise<void> {
    while (this.tail) await this.tail;
  }

  private track<T>(result: Promise<T>): Promise<T> {
    // Released in the first reaction to `result`, before whoever awaits it goes on: their next call
    // then finds nothing running and starts at once, rather than queueing behind a settled operation
    // (every later one would queue behind the one before, each a promise, for the rest of a backtest).
    const tail: Promise<void> = result.then(
      () => this.release(tail),
      () => this.release(tail),
    );
    this.tail = tail;
    return result;
  }

  private release(tail: Promise<void>): void {
    if (this.tail === tail) this.tail = undefined;
  }
}
