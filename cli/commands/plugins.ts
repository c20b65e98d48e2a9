import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { PluginPackage } from "../../core/plugins/registry.ts";
import { CliError } from "../errors.ts";
import { textTable } from "../table.ts";

const BUILT_IN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../plugins");

/**
 * `quantchat plugins list | show <id> | validate <dir>`. Core modules are imported inside the actions so
 * that other commands do not pay for them.
 * @example quantchat plugins validate plugins/sma-cross
 */
export function register(program: Command): void {
  const plugins = program.command("plugins").description("List, inspect and validate strategy plugins");
  const dirs = (value: string, previous: string[] = []) => [...previous, value];
  const dirOption = "a plugin folder, or a folder of plugin folders (repeatable; default: the built-in plugins)";

  plugins
    .command("list")
    .description("Installed plugins: id, version, name, params")
    .option("-d, --dir <dir>", dirOption, dirs)
    .action(async (options: { dir?: string[] }) => {
      const { registry, problems } = await discover(options.dir);
      const rows = registry.list().map((p) => [p.manifest.id, p.manifest.version, p.manifest.name, paramSummary(p)]);
      process.stdout.write(textTable(["id", "version", "name", "params"], rows));
      for (const { dir, error } of problems) {
        const count = "problems" in error && Array.isArray(error.problems) ? error.problems.length : 1;
        process.stderr.write(`skipped ${dir}: ${count} problem(s); see quantchat plugins validate ${dir}\n`);
      }
    });

  plugins
    .command("show <id>")
    .description("A plugin's manifest: params with their ranges, permissions, limits")
    .option("-d, --dir <dir>", dirOption, dirs)
    .action(async (id: string, options: { dir?: string[] }) => {
      const { registry } = await discover(options.dir);
      const pkg = registry.get(id);
      if (!pkg) throw new CliError(`no plugin "${id}" (see quantchat plugins list)`);
      process.stdout.write(await show(pkg));
    });

  plugins
    .command("validate <dir>")
    .description("Check a plugin folder: the manifest, then the entry loaded in the sandbox (exit 1 on problems)")
    .action(async (dir: string) => {
      const { ok, text } = await validate(dir);
      (ok ? process.stdout : process.stderr).write(text);
      if (!ok) process.exitCode = 1;
    });
}

async function discover(dirs: string[] | undefined) {
  const { PluginRegistry } = await import("../../core/plugins/registry.ts");
  return PluginRegistry.discover(dirs ?? [BUILT_IN]);
}

function paramSummary(pkg: PluginPackage): string {
  return Object.entries(pkg.manifest.params)
    .map(([name, spec]) => `${name}=${spec.default}`)
    .join(" ");
}

async function show(pkg: PluginPackage): Promise<string> {
  const { describeParam } = await import("../../core/plugins/params.ts");
  const m = pkg.manifest;
  const lines = [
    `${m.id} ${m.version}: ${m.name}`,
    `by ${m.author}${m.license ? `, ${m.license}` : ""}`,
    "",
    m.description,
    "",
    `entry        ${path.relative(process.cwd(), pkg.entryPath) || pkg.entryPath} (sha256 ${pkg.sha256})`,
    `api          ${m.api}`,
    `timeframes   ${m.timeframes?.join(", ") ?? "any"}`,
    `warmup       ${m.warmup} candles`,
    `symbols      ${m.symbols.min === m.symbols.max ? m.symbols.min : `${m.symbols.min} to ${m.symbols.max}`}`,
    `permissions  ${m.permissions.length > 0 ? m.permissions.join(", ") : "none"}`,
    `limits       ${m.limits.memoryMb} MB memory, ${m.limits.cpuMsPerCall} ms CPU per call`,
    "",
  ];
  const params = Object.entries(m.params).map(([name, spec]) => [
    name,
    spec.type,
    String(spec.default),
    describeParam(spec),
    spec.description ?? "",
  ]);
  const body =
    params.length > 0 ? textTable(["param", "type", "default", "accepts", "description"], params) : "no params\n";
  return `${lines.join("\n")}\n${body}`;
}

/** The manifest first (every problem with file:line:column); then the entry, loaded in a real sandbox. */
async function validate(dir: string): Promise<{ ok: boolean; text: string }> {
  const { ConfigError, formatProblem } = await import("../../core/config/errors.ts");
  const { loadPlugin, sandboxSpec } = await import("../../core/plugins/registry.ts");
  const { validateParams } = await import("../../core/plugins/params.ts");
  const { PluginFailure } = await import("../../core/plugins/sandbox/failure.ts");
  const { closeSharedPool, sharedPool } = await import("../../core/plugins/sandbox/shared-pool.ts");

  let pkg: PluginPackage;
  try {
    pkg = loadPlugin(dir);
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, text: `${error.problems.map(formatProblem).join("\n")}\n` };
    throw error;
  }
  const warnings = pkg.warnings.map((w) => `warning: ${formatProblem(w)}`);
  const m = pkg.manifest;
  const params = validateParams(m);
  if (!params.ok) return { ok: false, text: `${params.problems.map((p) => p.text).join("\n")}\n` };
  try {
    const sandbox = await sharedPool().createInstance(sandboxSpec(pkg, `validate-${m.id}-${process.pid}`), {
      restart: false,
    });
    // init with the defaults, on placeholder symbols, catches plugins that cannot start as shipped.
    const symbols = Array.from({ length: m.symbols.min }, (_, i) => `TEST${i + 1}/USDT`);
    const init = await sandbox.init({
      params: params.params,
      symbols,
      state: null,
      snapshot: { cash: 10_000, allocation: 10_000 },
    });
    const hooks = sandbox.hooks;
    const others = sandbox.otherFunctions;
    await sandbox.dispose();
    if (init.failure) return { ok: false, text: `${init.failure.cause}: ${init.failure.message}\n` };
    // A function on the default export that is not a hook is often a misspelt one.
    const entry = path.relative(process.cwd(), pkg.entryPath) || pkg.entryPath;
    const unknown = others.map(
      (name) => `warning: ${entry}: ${name} is not a hook (init, onCandle, onBar, onCandles, onFill, onStop)`,
    );
    const ok = `ok: ${m.id} ${m.version} (hooks: ${hooks.join(", ")}; sha256 ${pkg.sha256.slice(0, 16)})`;
    return { ok: true, text: `${[...warnings, ...unknown, ok].join("\n")}\n` };
  } catch (error) {
    if (error instanceof PluginFailure)
      return { ok: false, text: `${[...warnings, `${error.cause}: ${error.message}`].join("\n")}\n` };
    throw error;
  } finally {
    await closeSharedPool();
  }
}
