import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCredential } from "../../../core/credentials/vault.ts";
import { createStore } from "../../../core/store/database.ts";
import { BIN, REPO_ROOT } from "../../helpers/process.ts";
import { bytesOfDir, holds, sampleMasterKey, sampleSecrets } from "./fixtures.ts";

interface Run {
  readonly code: number | null;
  /** stdout and stderr together, as a terminal would show them. */
  readonly output: string;
}

/** A command line, the environment on top of PATH, HOME and DATABASE_URL, and what is piped to stdin. */
interface Invocation {
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly stdin?: string;
}

let dir: string;
let databaseUrl: string;
const masterKey = sampleMasterKey();
/** Everything every run printed, checked for secrets once all tests are done. */
let everything = "";
/** Every secret any test handed to the CLI. */
const handed: string[] = [];

function hand<T extends Record<string, string>>(secrets: T): T {
  handed.push(...Object.values(secrets));
  return secrets;
}

/** Runs `node --no-node-snapshot bin/quantchat.js …` in a clean environment with DATABASE_URL set. */
function quantchat({ args, env = {}, stdin = "" }: Invocation): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--no-node-snapshot", BIN, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: databaseUrl, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    // A run that fails before reading stdin closes the pipe; that is its answer, not a test failure.
    child.stdin.on("error", () => undefined);
    child.on("close", (code) => {
      everything += output;
      resolve({ code, output });
    });
    child.stdin.end(stdin);
  });
}

const withKey = { QUANTCHAT_MASTER_KEY: masterKey };
const hint = (apiKey: string) => `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;

async function opened(name: string) {
  const store = createStore(databaseUrl);
  try {
    return await openCredential(store, masterKey, name);
  } finally {
    await store.close();
  }
}

// Each run is a fresh node process loading TypeScript through tsx: allow for a busy machine.
describe("quantchat credentials", { timeout: 60_000 }, () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-credentials-cli-"));
    databaseUrl = path.join(dir, "cli.db");
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds a credential piped on stdin, and stores it encrypted", async () => {
    const secrets = hand(sampleSecrets());
    const run = await quantchat({
      args: ["credentials", "add", "binance-main", "--exchange", "binance"],
      env: withKey,
      stdin: `${secrets.apiKey}\n${secrets.secret}\n`,
    });
    expect(run.output).toBe(`added credential binance-main (binance, API key ${hint(secrets.apiKey)})\n`);
    expect(run.code).toBe(0);
    const creds = await opened("binance-main");
    expect([creds.exchange, creds.apiKey, creds.secret, creds.password]).toEqual([
      "binance",
      secrets.apiKey,
      secrets.secret,
      undefined,
    ]);
    const bytes = bytesOfDir(dir);
    expect(holds(bytes, "binance-main")).toBe(true);
    for (const value of [secrets.apiKey, secrets.secret, masterKey]) expect(holds(bytes, value)).toBe(false);
  });

  it("takes a password as the third line, for exchanges that need one", async () => {
    const secrets = hand(sampleSecrets());
    const lines = [secrets.apiKey, secrets.secret, secrets.password].join("\r\n");
    const run = await quantchat({
      args: ["credentials", "add", "okx-piped", "--exchange", "okx"],
      env: withKey,
      stdin: lines,
    });
    expect(run.code).toBe(0);
    expect((await opened("okx-piped")).password).toBe(secrets.password);
  });

  it("reads the secrets from the environment variables --api-key-env, --secret-env and --password-env name", async () => {
    const secrets = hand(sampleSecrets());
    const run = await quantchat({
      args: ["credentials", "add", "okx-env", "--exchange", "okx"].concat([
        "--api-key-env",
        "OKX_KEY",
        "--secret-env",
        "OKX_SECRET",
        "--password-env",
        "OKX_PASS",
      ]),
      env: { ...withKey, OKX_KEY: secrets.apiKey, OKX_SECRET: secrets.secret, OKX_PASS: secrets.password },
    });
    expect(run.output).toBe(`added credential okx-env (okx, API key ${hint(secrets.apiKey)})\n`);
    const creds = await opened("okx-env");
    expect([creds.apiKey, creds.secret, creds.password]).toEqual([secrets.apiKey, secrets.secret, secrets.password]);
  });

  it("lists names, exchanges and masked keys, without needing the master key", async () => {
    const run = await quantchat({ args: ["credentials", "list"] });
    expect(run.code).toBe(0);
    const rows = run.output.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^name\s+exchange\s+api key\s+created \(UTC\)$/);
    expect(rows.slice(1).map((r) => r.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["binance-main", "binance", expect.stringMatching(/^AK[0-9A-F]{2}…[0-9A-F]{2}ZZ$/)],
      ["okx-env", "okx", expect.stringMatching(/^AK[0-9A-F]{2}…[0-9A-F]{2}ZZ$/)],
      ["okx-piped", "okx", expect.stringMatching(/^AK[0-9A-F]{2}…[0-9A-F]{2}ZZ$/)],
    ]);
  });

  it("removes a credential, and says so when there is none", async () => {
    const removed = await quantchat({ args: ["credentials", "remove", "okx-piped"] });
    expect([removed.code, removed.output]).toEqual([0, "removed credential okx-piped\n"]);
    const again = await quantchat({ args: ["credentials", "remove", "okx-piped"] });
    expect([again.code, again.output]).toEqual([1, "quantchat: no credential named okx-piped\n"]);
    const list = await quantchat({ args: ["credentials", "list"] });
    expect(list.output).not.toContain("okx-piped");
  });

  it("refuses to add without QUANTCHAT_MASTER_KEY, saying how to make one", async () => {
    const secrets = hand(sampleSecrets());
    const run = await quantchat({
      args: ["credentials", "add", "no-key", "--exchange", "binance"],
      stdin: `${secrets.apiKey}\n${secrets.secret}\n`,
    });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      /^quantchat: QUANTCHAT_MASTER_KEY is not set: it is needed to store or use exchange credentials \(generate one with: node -e /,
    );
  });

  it("reports bad input in one line each, never quoting a secret", async () => {
    const secrets = hand(sampleSecrets());
    const piped = `${secrets.apiKey}\n${secrets.secret}\n`;
    const add = (name: string, exchange: string, more: string[] = []) => [
      "credentials",
      "add",
      name,
      "--exchange",
      exchange,
      ...more,
    ];
    const cases: [Invocation, string][] = [
      [
        { args: add("binance-main", "binance"), env: withKey, stdin: piped },
        "quantchat: a credential named binance-main already exists: remove it first to replace it\n",
      ],
      [
        { args: add("typo", "binanse"), env: withKey, stdin: piped },
        'quantchat: unknown exchange "binanse" (did you mean "binance"?)\n',
      ],
      [
        { args: add("okx-short", "okx"), env: withKey, stdin: piped },
        "quantchat: okx needs a password (passphrase) as well: give it as the third line of standard input\n",
      ],
      [
        { args: add("one-line", "binance"), env: withKey, stdin: `${secrets.apiKey}\n` },
        "quantchat: expected the API key on the first line of standard input, the secret on the second and, if the exchange needs one, the password (passphrase) on the third\n",
      ],
      [
        {
          args: add("pasted", "binance", ["--api-key-env", "K", "--secret-env", secrets.secret]),
          env: { ...withKey, K: "x" },
        },
        "quantchat: --secret-env takes the name of an environment variable (like BINANCE_SECRET), not a value; if you typed a secret there, it is in your shell history now: rotate it\n",
      ],
      [
        { args: add("half", "binance", ["--secret-env", "S"]), env: { ...withKey, S: secrets.secret } },
        "quantchat: --api-key-env and --secret-env go together: give both, or neither to read standard input\n",
      ],
      [
        { args: add("Bad Name", "binance"), env: withKey, stdin: piped },
        'quantchat: invalid name "Bad Name": use lowercase letters, digits, "-" and "_" (at most 64)\n',
      ],
    ];
    for (const [invocation, message] of cases) {
      const run = await quantchat(invocation);
      expect(run.output).toBe(message);
      expect(run.code).toBe(1);
    }
    expect((await opened("binance-main")).secret).not.toBe(secrets.secret);
  });

  const script = (() => {
    try {
      return execFileSync("script", ["--version"]).toString().includes("util-linux");
    } catch {
      return false;
    }
  })();

  // util-linux `script` gives the CLI a real terminal; what it prints is what a user would see.
  it.skipIf(!script)("prompts on a terminal without echoing what is typed", async () => {
    const secrets = hand(sampleSecrets());
    const answers: [prompt: string, typed: string][] = [
      ["API key: ", `${secrets.apiKey}\r`],
      ["Secret: ", `${secrets.secret}\u001b[A\r`], // an arrow key is not part of the secret
      ["Password (passphrase): ", `${secrets.password}x\u007f\r`], // nor is a character rubbed out
    ];
    const command = [process.execPath, "--no-node-snapshot", BIN, "credentials", "add", "okx-tty", "--exchange", "okx"];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("script", ["-qefc", command.join(" "), "/dev/null"], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: databaseUrl, ...withKey },
      });
      let text = "";
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        // Typed only once the prompt is up, as a person would: type-ahead is the terminal's to echo.
        const next = answers[0];
        if (next && text.includes(next[0])) {
          answers.shift();
          child.stdin.write(next[1]);
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}: ${text}`))));
    });
    everything += output;
    expect(output).toContain("Password (passphrase): ");
    for (const value of Object.values(secrets)) expect(output).not.toContain(value);
    expect(output).toContain(`added credential okx-tty (okx, API key ${hint(secrets.apiKey)})`);
    const creds = await opened("okx-tty");
    expect([creds.apiKey, creds.secret, creds.password]).toEqual([secrets.apiKey, secrets.secret, secrets.password]);
  });

  it("never printed a secret or the master key in any run", () => {
    expect(everything).toContain("added credential");
    expect(handed.length).toBeGreaterThan(10);
    for (const value of [...handed, masterKey]) expect(everything).not.toContain(value);
  });
});
