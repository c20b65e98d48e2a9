/**
 * Bad sweep input (a grid, a metric name, a walk-forward spec), told in one line that names the flag.
 * The CLI prints it as it is; nothing has run when it is thrown.
 */
export class SweepInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SweepInputError";
  }
}
