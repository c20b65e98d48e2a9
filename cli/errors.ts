/**
 * An error the CLI reports as one line and a non-zero exit, without a stack: bad input, a missing
 * file, a failed check. Anything else is a bug and keeps its stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}
