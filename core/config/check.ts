import { validateEnv } from "./env.ts";
import { ConfigError, type ConfigProblem, formatProblem } from "./errors.ts";
import { type LoadOptions, loadStrategiesFile } from "./strategies.ts";
import type { StrategiesConfig } from "./strategies-schema.ts";

/** What `config check` found: the lines to print, and whether all was well. */
export interface CheckReport {
  readonly ok: boolean;
  readonly problemCount: number;
  readonly lines: readonly string[];
  readonly config?: StrategiesConfig;
}

/**
 * Validates a strategies file and, when given, an environment; every problem of both in one report.
 * @example checkConfig("strategies.yaml", { env: process.env }).lines // ["ok: strategies.yaml has 1 account and 2 strategies (2 enabled)"]
 */
export function checkConfig(file: string, options: LoadOptions & { env?: NodeJS.ProcessEnv } = {}): CheckReport {
  const problems: ConfigProblem[] = [];
  if (options.env) {
    const env = validateEnv(options.env);
    if (!env.ok) problems.push(...env.problems);
  }
  let config: StrategiesConfig | undefined;
  try {
    config = loadStrategiesFile(file, options).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !config) {
    return { ok: false, problemCount: problems.length, lines: problems.map(formatProblem) };
  }
  return { ok: true, problemCount: 0, lines: [`ok: ${file} has ${summary(config)}`], config };
}

function summary(config: StrategiesConfig): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const enabled = config.strategies.filter((s) => s.enabled).length;
  const accounts = count(config.accounts.length, "account", "accounts");
  return `${accounts} and ${count(config.strategies.length, "strategy", "strategies")} (${enabled} enabled)`;
}
