/**
 * A value now, or a promise of it. The order path answers with the value itself when every step it
 * took answered at once (an in-process ledger and venue: a backtest, paper trading, SQLite outside a
 * group commit), because each await of a settled promise still costs a turn of the microtask queue,
 * and a backtest sends tens of thousands of orders. Only native promises count as pending.
 */
export type Maybe<T> = T | Promise<T>;

/**
 * `next` applied to the value now, or once the promise settles. (Not named `then`: a module that
 * exports `then` is a thenable, and `await import()` of it would call it.)
 * @example andThen(ledger.insert(order), (inserted) => inserted ? "new" : "duplicate")
 */
export function andThen<T, U>(value: Maybe<T>, next: (value: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/**
 * A Maybe as a promise, a throw of the work as a rejection: for interfaces that promise a promise.
 * @example settle(() => executor.submitNow(intent, verdict)) // Promise<SubmitResult>
 */
export function settle<T>(work: () => Maybe<T>): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}
