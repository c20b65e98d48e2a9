import { readFileSync } from "node:fs";
import { type CrossCheckOptions, crossCheck } from "./cross-checks.ts";
import { formatPath, type PathSegment } from "./describe.ts";
import { ConfigError, type ConfigProblem, sortProblems } from "./errors.ts";
import { type StrategiesConfig, strategiesConfigSchema } from "./strategies-schema.ts";
import { parseYamlSource, type SourcePosition } from "./yaml-source.ts";
import { issuesToProblems } from "./zod-problems.ts";

/** A validated strategies.yaml and the means to point back into it. */
export interface LoadedConfig {
  readonly config: StrategiesConfig;
  /** The file as given to the loader, as problems name it. */
  readonly file: string;
  /**
   * Where a path of the file is written (1-based), for problems found later, such as plugin params
   * that the manifest rejects. A path not in the file points at its nearest written parent.
   * @example loaded.locate(["strategies", 0, "params", "fast"]) // { line: 24, column: 13 }
   */
  locate(path: readonly PathSegment[]): SourcePosition | undefined;
}

/** Options for loading; see CrossCheckOptions. */
export type LoadOptions = CrossCheckOptions;

/**
 * Validates strategies.yaml text. Every problem found (YAML syntax, schema, cross-references) is
 * thrown at once in one ConfigError, sorted by position.
 * @example
 * const { config } = parseStrategiesYaml(readFileSync("strategies.yaml", "utf8"), "strategies.yaml");
 * config.strategies[0].allocation // { pct: 10 }
 */
export function parseStrategiesYaml(text: string, file: string, options: LoadOptions = {}): LoadedConfig {
  const source = parseYamlSource(text, file);
  const locate = (path: readonly PathSegment[]) => source.locate(path);
  // With syntax errors the data is a guess; problems found in it would only mislead.
  if (source.errors.length > 0) throw new ConfigError(sortProblems(source.errors));
  // An empty file is an empty configuration: no accounts, no strategies, default limits.
  const data = source.data ?? {};
  const result = strategiesConfigSchema.safeParse(data);
  const problems: ConfigProblem[] = [...source.warnings];
  if (!result.success) {
    problems.push(
      ...issuesToProblems(result.error.issues, { file, data, schema: strategiesConfigSchema, locate: source.locate }),
    );
  }
  for (const problem of crossCheck(data, options)) {
    const position = source.locate(problem.path, { key: problem.key === true });
    problems.push({ file, ...position, path: formatPath(problem.path), message: problem.message });
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(sortProblems(dedupe(problems)));
  return { config: result.data, file, locate };
}

/**
 * Reads and validates a strategies.yaml file. A missing or unreadable file is a ConfigError naming it.
 * @example const { config } = loadStrategiesFile(process.env.QUANTCHAT_CONFIG ?? "strategies.yaml");
 */
export function loadStrategiesFile(file: string, options: LoadOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "file not found"
        : code === "EISDIR"
          ? "is a directory, not a file"
          : `cannot read (${code ?? error})`;
    throw new ConfigError([{ file, path: "", message: reason }]);
  }
  return parseStrategiesYaml(text, file, options);
}

/** Two checks may notice the same thing at the same path; an operator needs to read it once. */
function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
