/**
 * One thing wrong with the configuration. `file` is the file it was found in ("" for the process
 * environment); `line` and `column` are 1-based and point at the offending value when it is known.
 * `path` names the value the way a reader finds it: `strategies[2].params.fast`, or `PORT`.
 */
export interface ConfigProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly path: string;
  readonly message: string;
}

/**
 * Formats one problem as a compiler would: `file:line:column path: message`. Parts that are not
 * known are left out, so an environment problem reads `PORT: expected ...`.
 * @example formatProblem({ file: "strategies.yaml", line: 4, column: 11, path: "accounts[0].mode", message: "…" })
 * // 'strategies.yaml:4:11 accounts[0].mode: …'
 */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  const head = [where, problem.path].filter((part) => part !== "").join(" ");
  return head === "" ? problem.message : `${head}: ${problem.message}`;
}

/**
 * All problems, one per line, in the order given.
 * @example formatProblems(error.problems).split("\n").length === error.problems.length
 */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map(formatProblem).join("\n");
}

/**
 * Configuration that cannot be used. Carries every problem found, not just the first, so an operator
 * fixes a file in one pass; `message` is `formatProblems(problems)`.
 * @example
 * try { loadEnv() } catch (e) { if (e instanceof ConfigError) console.error(e.message) }
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Problems in reading order: by file, then line, then column; problems without a position first.
 * @example sortProblems(problems)[0].line // the smallest line
 */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
