import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigError, type ConfigProblem, sortProblems } from "../config/errors.ts";
import { parseYamlSource } from "../config/yaml-source.ts";
import { issuesToProblems } from "../config/zod-problems.ts";
import { HOST_LIMITS, type HostLimits } from "./host-api.ts";
import { manifestSchema, type PluginManifest } from "./manifest-schema.ts";

export type { ParamSpec, ParamType, ParamValue, Permission, PluginManifest } from "./manifest-schema.ts";
export { manifestSchema } from "./manifest-schema.ts";

/** Largest entry file the host loads: a strategy is code, not data. */
export const MAX_ENTRY_BYTES = 1024 * 1024;

/** A validated manifest and what was adjusted on the way (limits capped to the host's maxima). */
export interface LoadedManifest {
  readonly manifest: PluginManifest;
  readonly file: string;
  readonly warnings: readonly ConfigProblem[];
}

/**
 * Validates plugin.yaml text. All problems (YAML syntax, schema) are thrown at once as a ConfigError
 * whose problems carry file, line, column, path and the expectation, as for strategies.yaml.
 * @example
 * const { manifest } = parseManifest(readFileSync("plugins/sma-cross/plugin.yaml", "utf8"), "plugins/sma-cross/plugin.yaml");
 * manifest.limits // { memoryMb: 32, cpuMsPerCall: 50 }
 */
export function parseManifest(text: string, file: string, hostLimits: HostLimits = HOST_LIMITS): LoadedManifest {
  const known = PARSED.get(file);
  if (known && known.text === text && sameLimits(known.hostLimits, hostLimits)) return known.loaded;
  const loaded = parseManifestText(text, file, hostLimits);
  PARSED.set(file, { text, hostLimits: { ...hostLimits }, loaded });
  return loaded;
}

/**
 * The last good parse of each manifest file, with the exact text it came from: a discovery parses every
 * plugin's YAML (with positions, about 7 ms each), and one command or engine discovers more than once
 * (the CLI checks the plugin, then the backtest resolves it). Text compared whole: never a stale answer.
 */
const PARSED = new Map<string, { text: string; hostLimits: HostLimits; loaded: LoadedManifest }>();

function sameLimits(a: HostLimits, b: HostLimits): boolean {
  return a.maxMemoryMb === b.maxMemoryMb && a.maxCpuMsPerCall === b.maxCpuMsPerCall;
}

function parseManifestText(text: string, file: string, hostLimits: HostLimits): LoadedManifest {
  const source = parseYamlSource(text, file);
  if (source.errors.length > 0) throw new ConfigError(sortProblems(source.errors));
  const data = source.data ?? {};
  const result = manifestSchema.safeParse(data);
  if (!result.success) {
    const problems = issuesToProblems(result.error.issues, {
      file,
      data,
      schema: manifestSchema,
      locate: source.locate,
    });
    throw new ConfigError(sortProblems([...source.warnings, ...problems]));
  }
  const warnings: ConfigProblem[] = [...source.warnings];
  const manifest = result.data;
  // Capped, not refused: a plugin asking for more than this host gives still runs, with what it gets.
  const cap = (key: "memoryMb" | "cpuMsPerCall", max: number) => {
    if (manifest.limits[key] <= max) return manifest.limits[key];
    const at = source.locate(["limits", key]);
    warnings.push({
      file,
      ...at,
      path: `limits.${key}`,
      message: `${manifest.limits[key]} is above this host's maximum ${max}; capped to ${max}`,
    });
    return max;
  };
  const limits = {
    memoryMb: cap("memoryMb", hostLimits.maxMemoryMb),
    cpuMsPerCall: cap("cpuMsPerCall", hostLimits.maxCpuMsPerCall),
  };
  return { manifest: { ...manifest, limits }, file, warnings };
}

/**
 * Reads and validates `<dir>/plugin.yaml` and checks that its entry exists inside the folder.
 * @example const { manifest } = loadManifest("plugins/sma-cross");
 */
export function loadManifest(dir: string, hostLimits: HostLimits = HOST_LIMITS): LoadedManifest {
  const file = path.join(dir, "plugin.yaml");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([
      { file, path: "", message: code === "ENOENT" ? "file not found" : `cannot read (${code})` },
    ]);
  }
  const loaded = parseManifest(text, file, hostLimits);
  const entryPath = path.join(dir, loaded.manifest.entry);
  const problem = entryProblem(entryPath);
  if (problem) {
    const at = parseYamlSource(text, file).locate(["entry"]);
    throw new ConfigError([{ file, ...at, path: "entry", message: `${problem}: ${entryPath}` }]);
  }
  return loaded;
}

function entryProblem(entryPath: string): string | undefined {
  if (!existsSync(entryPath)) return "entry file not found";
  const stats = statSync(entryPath);
  if (!stats.isFile()) return "entry is not a file";
  if (stats.size > MAX_ENTRY_BYTES) return `entry is larger than ${MAX_ENTRY_BYTES} bytes`;
  return undefined;
}
