import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { VERSION } from "../core/version.ts";
import { CliError } from "./errors.ts";

/** A subcommand module: `cli/commands/<name>.ts` exporting `register`. Heavy imports belong inside actions. */
export interface CommandModule {
  register(program: Command): void;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Builds the program with every subcommand found in cli/commands, in file-name order. */
export async function buildProgram(): Promise<Command> {
  const program = new Command()
    .name("quantchat")
    .description(
      "A trading bot driven from chat: strategies as sandboxed plugins, risk rules, paper and live execution.",
    )
    .version(VERSION, "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const names = readdirSync(path.join(here, "commands"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .sort()
    .map((f) => f.slice(0, -3));
  for (const name of names) {
    // A path esbuild can follow: the compiled CLI (bin/quantchat.js) carries every file of the folder,
    // and a file added or removed there makes that bundle stale, so the listing above stays the registry.
    const mod = (await import(`./commands/${name}.ts`)) as Partial<CommandModule>;
    if (typeof mod.register === "function") mod.register(program);
  }
  return program;
}

/** Runs the CLI and returns the exit code; prints a one-line cause for expected failures. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander with exit code 0; usage errors it already printed.
      return error.exitCode;
    }
    if (error instanceof CliError) {
      process.stderr.write(`quantchat: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`quantchat: ${message}\n`);
    if (process.env.LOG_LEVEL === "debug" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
const invokedByBin =
  process.argv[1]?.endsWith(`${path.sep}quantchat.js`) || process.argv[1]?.endsWith(`${path.sep}quantchat`);
if (invokedDirectly || invokedByBin) {
  // `quantchat candles | head` closes stdout early; that is the reader's choice, not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const code = await runCli(process.argv.slice(2));
  // Long-running commands (start) keep the process alive themselves; others exit when done.
  if (code !== 0) process.exit(code);
  process.exitCode = code;
}
