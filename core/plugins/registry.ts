import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import type { ConfigProblem } from "../config/errors.ts";
import { HOST_LIMITS, type HostLimits, STATE_CAP_BYTES } from "./host-api.ts";
import { loadManifest, type PluginManifest } from "./manifest.ts";
import type { SandboxSpec } from "./sandbox/protocol.ts";

/** A plugin on disk: its validated manifest and the code the sandbox will run. */
export interface PluginPackage {
  readonly dir: string;
  readonly manifest: PluginManifest;
  readonly warnings: readonly ConfigProblem[];
  readonly entryPath: string;
  readonly code: string;
  /** sha256 of the entry file, hex: what a marketplace signature covers and the store records. */
  readonly sha256: string;
}

/** A folder that looked like a plugin but did not load. */
export interface DiscoveryProblem {
  readonly dir: string;
  readonly error: Error;
}

/**
 * Loads one plugin folder: validates plugin.yaml (throws ConfigError with positions), reads the entry.
 * @example loadPlugin("plugins/sma-cross").sha256 // "9f2c…"
 */
export function loadPlugin(dir: string, hostLimits: HostLimits = HOST_LIMITS): PluginPackage {
  const { manifest, warnings } = loadManifest(dir, hostLimits);
  const entryPath = path.join(dir, manifest.entry);
  const bytes = readFileSync(entryPath);
  return {
    dir,
    manifest,
    warnings,
    entryPath,
    code: bytes.toString("utf8"),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

/**
 * Every plugin under the given roots. A root is a plugin folder itself (it holds plugin.yaml) or a
 * folder of plugin folders (`plugins/*\/plugin.yaml`). Folders that fail to load are reported, not thrown.
 * @example const { registry, problems } = PluginRegistry.discover(["plugins"]);
 */
export class PluginRegistry {
  private constructor(private readonly packages: readonly PluginPackage[]) {}

  static discover(
    roots: readonly string[],
    hostLimits: HostLimits = HOST_LIMITS,
  ): { registry: PluginRegistry; problems: DiscoveryProblem[] } {
    const packages: PluginPackage[] = [];
    const problems: DiscoveryProblem[] = [];
    for (const dir of roots.flatMap(pluginDirs)) {
      try {
        const pkg = loadPlugin(dir, hostLimits);
        const twin = packages.find(
          (p) => p.manifest.id === pkg.manifest.id && p.manifest.version === pkg.manifest.version,
        );
        if (twin) throw new Error(`${pkg.manifest.id} ${pkg.manifest.version} is also in ${twin.dir}`);
        packages.push(pkg);
      } catch (error) {
        problems.push({ dir, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    packages.sort(
      (a, b) => a.manifest.id.localeCompare(b.manifest.id) || semver.rcompare(a.manifest.version, b.manifest.version),
    );
    return { registry: new PluginRegistry(packages), problems };
  }

  /** Every plugin version, by id then newest first. */
  list(): readonly PluginPackage[] {
    return this.packages;
  }

  /** The newest version of `id`. */
  get(id: string): PluginPackage | undefined {
    return this.packages.find((p) => p.manifest.id === id);
  }

  /**
   * What strategies.yaml's `plugin` and `version` name: an id with a semver range (the newest match), or
   * a "./path" relative to `baseDir` (the folder of strategies.yaml), whose version must match too.
   * @example registry.resolve("sma-cross", "^1.0.0").manifest.version // "1.2.0"
   */
  resolve(plugin: string, range = "*", baseDir = process.cwd()): PluginPackage {
    if (plugin.startsWith("./")) {
      const pkg = loadPlugin(path.resolve(baseDir, plugin));
      if (!semver.satisfies(pkg.manifest.version, range)) {
        throw new Error(`${plugin} is version ${pkg.manifest.version}, which is not in ${range}`);
      }
      return pkg;
    }
    const versions = this.packages.filter((p) => p.manifest.id === plugin);
    if (versions.length === 0) throw new Error(`no plugin "${plugin}" is installed`);
    const match = versions.find((p) => semver.satisfies(p.manifest.version, range));
    if (!match) {
      throw new Error(
        `plugin "${plugin}" has no version in ${range} (installed: ${versions.map((p) => p.manifest.version).join(", ")})`,
      );
    }
    return match;
  }
}

/**
 * The sandbox spec of one strategy instance of a plugin.
 * @example pool.createInstance(sandboxSpec(pkg, "btc-sma-1h"))
 */
export function sandboxSpec(pkg: PluginPackage, instanceId: string, stateCapBytes = STATE_CAP_BYTES): SandboxSpec {
  return {
    instanceId,
    pluginId: pkg.manifest.id,
    code: pkg.code,
    filename: path.relative(process.cwd(), pkg.entryPath) || pkg.entryPath,
    limits: pkg.manifest.limits,
    permissions: pkg.manifest.permissions,
    stateCapBytes,
  };
}

function pluginDirs(root: string): string[] {
  if (existsSync(path.join(root, "plugin.yaml"))) return [root];
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, "plugin.yaml")))
    .map((entry) => path.join(root, entry.name))
    .sort();
}
