import os from "node:os";
import type { Command } from "commander";
import type { Env } from "../../core/config/env.ts";
import { CredentialError } from "../../core/credentials/errors.ts";
import type { CredentialSecrets } from "../../core/credentials/opened.ts";
import type { Store } from "../../core/store/database.ts";
import { CliError } from "../errors.ts";
import { textTable } from "../table.ts";

interface AddFlags {
  exchange: string;
  apiKeyEnv?: string;
  secretEnv?: string;
  passwordEnv?: string;
}

const STDIN_FORMAT =
  "the API key on the first line of standard input, the secret on the second and, if the exchange needs one, " +
  "the password (passphrase) on the third";

/**
 * `quantchat credentials add|list|remove`: exchange API keys, encrypted with QUANTCHAT_MASTER_KEY in
 * the store (DATABASE_URL). Secrets are read from a hidden prompt, from piped standard input or from
 * named environment variables, never from the command line, where shell history and `ps` would keep them.
 * @example printf '%s\n%s\n' "$KEY" "$SECRET" | quantchat credentials add binance-main --exchange binance
 * @example quantchat credentials add binance-main --exchange binance --api-key-env BINANCE_KEY --secret-env BINANCE_SECRET
 */
export function register(program: Command): void {
  const credentials = program
    .command("credentials")
    .description("Exchange API keys, stored encrypted with QUANTCHAT_MASTER_KEY: add, list, remove");

  credentials
    .command("add")
    .description("Encrypt and store an exchange API key and secret under a name accounts refer to")
    .argument("<name>", 'the name strategies.yaml accounts use in "credentials:", e.g. binance-main')
    .requiredOption("--exchange <id>", "the ccxt exchange id, e.g. binance or upbit")
    .option("--api-key-env <VAR>", "read the API key from this environment variable (its name, not the key)")
    .option("--secret-env <VAR>", "read the secret from this environment variable")
    .option("--password-env <VAR>", "read the password (passphrase) from this environment variable")
    .addHelpText(
      "after",
      `\nWithout --api-key-env/--secret-env, a terminal is prompted without echo; otherwise ${STDIN_FORMAT}.` +
        "\nEnvironment: QUANTCHAT_MASTER_KEY (required here), DATABASE_URL (default var/quantchat.db).",
    )
    .action((name: string, flags: AddFlags) => reportingCredentialErrors(() => add(name, flags)));

  credentials
    .command("list")
    .description("List stored credentials: name, exchange, masked API key, created (secrets are never shown)")
    .action(() => reportingCredentialErrors(list));

  credentials
    .command("remove")
    .alias("rm")
    .description("Delete a stored credential")
    .argument("<name>", "the credential's name")
    .action((name: string) => reportingCredentialErrors(() => remove(name)));
}

async function add(name: string, flags: AddFlags): Promise<void> {
  const env = await environment();
  const { isSlug } = await import("../../core/config/fields.ts");
  const vault = await import("../../core/credentials/index.ts");
  // Checked before any prompt, so nobody types a secret only to be told it cannot be stored.
  vault.requireMasterKey(env.QUANTCHAT_MASTER_KEY).fill(0);
  if (!isSlug(name)) {
    throw new CliError(`invalid name ${JSON.stringify(name)}: use lowercase letters, digits, "-" and "_" (at most 64)`);
  }
  const required = await requiredCredentials(flags.exchange);
  await withStore(env, async (store) => {
    const { findCredential } = await import("../../core/store/repositories/credentials.ts");
    if (await findCredential(store.db, name)) {
      throw new CliError(`a credential named ${name} already exists: remove it first to replace it`);
    }
    const needsPassword = required.includes("password");
    const secrets = await readSecrets(flags, needsPassword);
    if (needsPassword && secrets.password === undefined) {
      throw new CliError(`${flags.exchange} needs a password (passphrase) as well: ${passwordHint(flags)}`);
    }
    const unsupported = required.filter((field) => !["apiKey", "secret", "password"].includes(field));
    if (unsupported.length > 0) {
      process.stderr.write(`note: ${flags.exchange} also uses ${unsupported.join(", ")}, which are not stored\n`);
    }
    const credential = { name, exchange: flags.exchange, ...secrets };
    const summary = await vault.addCredential(store, env.QUANTCHAT_MASTER_KEY, credential, { actor: actor() });
    print(`added credential ${summary.name} (${summary.exchange}, API key ${summary.keyHint})`);
  });
}

async function list(): Promise<void> {
  const env = await environment();
  const { listCredentials } = await import("../../core/credentials/vault.ts");
  await withStore(env, async (store) => {
    const rows = await listCredentials(store);
    if (rows.length === 0) {
      print("no credentials stored (add one with: quantchat credentials add <name> --exchange <id>)");
      return;
    }
    const header = ["name", "exchange", "api key", "created (UTC)"];
    process.stdout.write(
      textTable(
        header,
        rows.map((r) => [r.name, r.exchange, r.keyHint, iso(r.createdAt)]),
        { rule: false },
      ),
    );
  });
}

async function remove(name: string): Promise<void> {
  const env = await environment();
  const { removeCredential } = await import("../../core/credentials/vault.ts");
  await withStore(env, async (store) => {
    if (!(await removeCredential(store, name, { actor: actor() }))) throw new CliError(`no credential named ${name}`);
    print(`removed credential ${name}`);
  });
}

/** The secrets from named environment variables, a hidden prompt, or piped standard input. */
async function readSecrets(flags: AddFlags, needsPassword: boolean): Promise<CredentialSecrets> {
  if (flags.apiKeyEnv !== undefined || flags.secretEnv !== undefined) {
    if (flags.apiKeyEnv === undefined || flags.secretEnv === undefined) {
      throw new CliError("--api-key-env and --secret-env go together: give both, or neither to read standard input");
    }
    const password = flags.passwordEnv === undefined ? undefined : fromEnv("--password-env", flags.passwordEnv);
    const secrets = {
      apiKey: fromEnv("--api-key-env", flags.apiKeyEnv),
      secret: fromEnv("--secret-env", flags.secretEnv),
    };
    return password === undefined ? secrets : { ...secrets, password };
  }
  if (flags.passwordEnv !== undefined) {
    throw new CliError("--password-env goes with --api-key-env and --secret-env");
  }
  if (process.stdin.isTTY) {
    const questions = ["API key: ", "Secret: ", ...(needsPassword ? ["Password (passphrase): "] : [])];
    const [apiKey, secret, password] = await promptHidden(questions);
    if (!apiKey || !secret) throw new CliError("the API key and the secret must not be empty");
    return password ? { apiKey, secret, password } : { apiKey, secret };
  }
  return parseLines(await readAll(process.stdin));
}

function fromEnv(option: string, variable: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
    // The argument is not echoed: it may be the secret itself, typed where the variable's name belongs.
    throw new CliError(
      `${option} takes the name of an environment variable (like BINANCE_SECRET), not a value; ` +
        "if you typed a secret there, it is in your shell history now: rotate it",
    );
  }
  const value = process.env[variable]?.trim();
  if (!value) throw new CliError(`environment variable ${variable} (from ${option}) is not set or empty`);
  return value;
}

function parseLines(text: string): CredentialSecrets {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  const [apiKey, secret, password] = lines;
  if (!apiKey || !secret) throw new CliError(`expected ${STDIN_FORMAT}`);
  if (lines.length > 3) throw new CliError(`expected at most 3 lines, got ${lines.length}: ${STDIN_FORMAT}`);
  return password ? { apiKey, secret, password } : { apiKey, secret };
}

// Far more than any key pair; a larger input is a wrong file piped in, not a credential.
const MAX_STDIN = 64 * 1024;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  stream.setEncoding("utf8");
  for await (const chunk of stream) {
    text += chunk as string;
    if (text.length > MAX_STDIN)
      throw new CliError(`standard input is too large for a credential: expected ${STDIN_FORMAT}`);
  }
  return text;
}

/**
 * Asks each question on the terminal in raw mode and echoes nothing (not even asterisks, which would
 * show the length). Raw mode holds from the first question to the last: in between, the terminal
 * would echo anything typed ahead. Backspace edits, Ctrl-C or Ctrl-D cancel, and escape sequences
 * (arrow keys, the markers of a bracketed paste) are dropped.
 */
function promptHidden(questions: readonly string[]): Promise<string[]> {
  const stdin = process.stdin;
  const answers: string[] = [];
  let current = "";
  let inEscape: "none" | "start" | "csi" | "ss3" = "none";
  let afterReturn = false;
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  process.stderr.write(questions[0] ?? "");
  return new Promise((resolve, reject) => {
    const done = (error?: CliError) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      if (error) reject(error);
      else resolve(answers);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        const skipNewline = afterReturn && char === "\n"; // a pasted "\r\n" ends one answer, not two
        afterReturn = char === "\r";
        if (inEscape !== "none") {
          // ESC [ params final (CSI), ESC O x (SS3), or ESC x: nothing in them is input.
          if (inEscape === "start") inEscape = char === "[" ? "csi" : char === "O" ? "ss3" : "none";
          else if (inEscape === "ss3" || (char >= "@" && char <= "~")) inEscape = "none";
        } else if (char === "\u001b") inEscape = "start";
        else if (skipNewline) continue;
        else if (char === "\r" || char === "\n") {
          answers.push(current.trim());
          current = "";
          process.stderr.write("\n");
          if (answers.length === questions.length) return done();
          process.stderr.write(questions[answers.length] ?? "");
        } else if (char === "\u0003" || char === "\u0004") {
          process.stderr.write("\n");
          return done(new CliError("cancelled", 130));
        } else if (char === "\u007f" || char === "\b") current = current.slice(0, -1);
        else if (char >= " ") current += char;
      }
    };
    stdin.on("data", onData);
  });
}

/** The credential fields ccxt says an exchange needs; an unknown exchange is a CliError with a suggestion. */
async function requiredCredentials(exchange: string): Promise<string[]> {
  const ccxt = (await import("ccxt")).default;
  if (!ccxt.exchanges.includes(exchange)) {
    const { didYouMean } = await import("../../core/config/suggest.ts");
    throw new CliError(`unknown exchange ${JSON.stringify(exchange)}${didYouMean(exchange, ccxt.exchanges)}`);
  }
  type ExchangeClass = new () => { requiredCredentials: Record<string, boolean> };
  const instance = new (ccxt as unknown as Record<string, ExchangeClass>)[exchange]!();
  return Object.entries(instance.requiredCredentials)
    .filter(([, needed]) => needed)
    .map(([field]) => field);
}

function passwordHint(flags: AddFlags): string {
  if (flags.apiKeyEnv !== undefined) return "give it with --password-env <VAR>";
  return process.stdin.isTTY ? "it must not be empty" : "give it as the third line of standard input";
}

/** Runs a subcommand, turning a CredentialError (one line, never a secret) into a CliError. */
async function reportingCredentialErrors(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof CredentialError) throw new CliError(error.message);
    throw error;
  }
}

async function environment(): Promise<Env> {
  const { loadEnv } = await import("../../core/config/env.ts");
  const { ConfigError } = await import("../../core/config/errors.ts");
  try {
    return loadEnv();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`invalid environment:\n${error.message}`);
    throw error;
  }
}

/** Opens and migrates the store (DATABASE_URL), runs `work`, always closes it. */
async function withStore(env: Env, work: (store: Store) => Promise<void>): Promise<void> {
  const { createStore } = await import("../../core/store/database.ts");
  const { migrateToLatest, MigrationError } = await import("../../core/store/migrate.ts");
  let store: Store;
  try {
    store = createStore(env.DATABASE_URL);
  } catch (error) {
    throw new CliError(`cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    await migrateToLatest(store);
    await work(store);
  } catch (error) {
    if (error instanceof MigrationError) throw new CliError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

/** The audit log's actor for commands run here: the operating-system user. */
function actor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    // No passwd entry for the uid, as in some containers.
    return "cli";
  }
}

function iso(time: number): string {
  return new Date(time).toISOString().slice(0, 16).replace("T", " ");
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
