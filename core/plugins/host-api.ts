/**
 * The host side of the plugin contract: the API version plugins declare a range for, and the
 * limits the host enforces whatever a manifest asks for.
 */

/** The plugin API this host implements (docs/plugin-api.md; 1.1 added onCandles). A manifest's `api` range must include it. */
export const HOST_API_VERSION = "1.1.0";

/** The most a manifest may ask for; larger requests are capped with a warning. */
export interface HostLimits {
  readonly maxMemoryMb: number;
  readonly maxCpuMsPerCall: number;
}

/** Host maxima: enough for any sane strategy, small enough that a pool of isolates fits in a worker. */
export const HOST_LIMITS: HostLimits = { maxMemoryMb: 128, maxCpuMsPerCall: 1000 };

/** What a plugin gets when its manifest says nothing: 32 MB of heap and 50 ms per hook call. */
export const DEFAULT_PLUGIN_LIMITS = { memoryMb: 32, cpuMsPerCall: 50 } as const;

/** isolated-vm refuses isolates below 8 MB. */
export const MIN_MEMORY_MB = 8;

/** Size cap of a plugin's `ctx.state`, in bytes of its JSON text (UTF-8). */
export const STATE_CAP_BYTES = 64 * 1024;

/** Limits of one plugin instance as the sandbox applies them (after capping). */
export interface PluginLimits {
  readonly memoryMb: number;
  readonly cpuMsPerCall: number;
}
