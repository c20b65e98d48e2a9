// Strategy plugins: manifests, params, the registry, the sandbox and evaluatePlugin (docs/plugin-api.md).

export { type EvaluatedIntent, type EvaluateOptions, evaluatePlugin } from "./evaluate.ts";
export {
  DEFAULT_PLUGIN_LIMITS,
  HOST_API_VERSION,
  HOST_LIMITS,
  type HostLimits,
  type PluginLimits,
  STATE_CAP_BYTES,
} from "./host-api.ts";
export {
  type LoadedManifest,
  loadManifest,
  type ParamSpec,
  type ParamType,
  type ParamValue,
  type Permission,
  type PluginManifest,
  parseManifest,
} from "./manifest.ts";
export { describeParam, type ParamProblem, type ParamsResult, validateParams } from "./params.ts";
export { PositionBook } from "./position-book.ts";
export { type DiscoveryProblem, loadPlugin, type PluginPackage, PluginRegistry, sandboxSpec } from "./registry.ts";
export { PluginFailure, type PluginFailureInfo, SandboxUnavailableError } from "./sandbox/failure.ts";
export type { InstanceStatus, SandboxHandle } from "./sandbox/handle.ts";
export { LocalSandbox, type LocalSandboxOptions } from "./sandbox/local.ts";
export type { PluginLogLine, RawIntent, SandboxOutput } from "./sandbox/output.ts";
export { type PoolStats, type RestartPolicy, SandboxPool, type SandboxPoolOptions } from "./sandbox/pool.ts";
export type { PooledInstance } from "./sandbox/pooled-instance.ts";
export type { FillEvent, InitRequest, RunRequest, SandboxSpec, Snapshot } from "./sandbox/protocol.ts";
export { closeSharedPool, sharedPool } from "./sandbox/shared-pool.ts";
