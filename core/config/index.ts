// Loading and validating the operator's configuration: the environment and strategies.yaml.

export { type CheckReport, checkConfig } from "./check.ts";
export { ENV_VARIABLES, type Env, isDatabaseUrl, LOG_LEVELS, loadEnv, validateEnv } from "./env.ts";
export { ConfigError, type ConfigProblem, formatProblem, formatProblems } from "./errors.ts";
export { mergeRiskLimits, type RiskOverride, riskLimitsSchema, riskOverrideSchema } from "./risk-schema.ts";
export { decodeMasterKey, redactUrl } from "./secrets.ts";
export { type LoadedConfig, type LoadOptions, loadStrategiesFile, parseStrategiesYaml } from "./strategies.ts";
export {
  type AccountConfig,
  type Allocation,
  accountSchema,
  type FeedConfig,
  feedSchema,
  type StrategiesConfig,
  type StrategyInstanceConfig,
  strategiesConfigSchema,
  strategyInstanceSchema,
} from "./strategies-schema.ts";
export type { SourcePosition } from "./yaml-source.ts";
