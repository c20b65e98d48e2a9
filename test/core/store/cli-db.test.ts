import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../helpers/postgres.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MIGRATIONS = readdirSync(path.join(ROOT, "migrations"))
  .filter((f) => /^\d+_.*\.ts$/.test(f))
  .sort()
  .map((f) => f.replace(/\.ts$/, ""));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the installed CLI as a user would, in a child process, with DATABASE_URL set. */
function quantchat(databaseUrl: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--no-node-snapshot", path.join(ROOT, "bin/quantchat.js"), ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "error" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lines = (text: string) => text.trimEnd().split("\n");

// Each run is a fresh node process loading TypeScript through tsx: allow for a busy machine.
describe("quantchat db on a SQLite file", { timeout: 60_000 }, () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-cli-db-"));
    file = path.join(dir, "nested", "quantchat.db");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("migrates a new database, then finds nothing left to do", async () => {
    const before = await quantchat(file, "db", "status");
    expect(before.code).toBe(0);
    expect(lines(before.stdout).at(-1)).toBe(`0 applied, ${MIGRATIONS.length} pending`);

    const migrate = await quantchat(file, "db", "migrate");
    expect(migrate).toMatchObject({ code: 0, stderr: "" });
    expect(lines(migrate.stdout)).toEqual([...MIGRATIONS.map((m) => `applied ${m}`), `sqlite:${file} is up to date`]);

    const again = await quantchat(file, "db", "migrate");
    expect(lines(again.stdout)).toEqual([`sqlite:${file} was already up to date`]);
  });

  it("lists every migration as applied, with when", async () => {
    const status = await quantchat(file, "db", "status");
    expect(status.code).toBe(0);
    const statusLines = lines(status.stdout);
    expect(statusLines[0]).toBe(`database: sqlite:${file}`);
    expect(statusLines[1]).toMatch(new RegExp(`^applied  ${MIGRATIONS[0]}  \\d{4}-\\d\\d-\\d\\dT`));
    expect(statusLines.at(-1)).toBe(`${MIGRATIONS.length} applied, 0 pending`);
  });

  it("rolls back one step, then all the way", async () => {
    const back = await quantchat(file, "db", "rollback");
    expect(back).toMatchObject({ code: 0, stdout: `rolled back ${MIGRATIONS.at(-1)}\n` });
    expect((await quantchat(file, "db", "status")).stdout).toContain(`pending  ${MIGRATIONS.at(-1)}\n`);

    const all = await quantchat(file, "db", "rollback", "--all");
    expect(all.code).toBe(0);
    expect(lines(all.stdout)).toEqual(
      MIGRATIONS.slice(0, -1)
        .reverse()
        .map((m) => `rolled back ${m}`),
    );
    expect(await quantchat(file, "db", "rollback")).toMatchObject({ code: 0, stdout: "nothing to roll back\n" });
  });

  it("fails with the migration's name and cause, one line, exit 1", async () => {
    const clash = path.join(dir, "clash.db");
    // A table in the way of 0002: what a hand-edited or half-restored database looks like.
    const sqlite = new SQLite(clash);
    sqlite.exec("create table candle_series (x integer)");
    sqlite.close();
    const run = await quantchat(clash, "db", "migrate");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^quantchat: migration 0002_candle_series failed: .*candle_series.*already exists\n$/);
    expect(run.stdout).toBe("");
    // The failed run changed nothing: 0001 was rolled back with it.
    expect(lines((await quantchat(clash, "db", "status")).stdout).at(-1)).toBe(
      `0 applied, ${MIGRATIONS.length} pending`,
    );
  });

  it("says why when the database cannot be opened", async () => {
    const run = await quantchat(dir, "db", "status");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^quantchat: cannot open the database: /);
    expect(lines(run.stderr)).toHaveLength(1);
  });

  it("documents its subcommands in --help", async () => {
    const run = await quantchat(file, "db", "rollback", "--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--all");
    expect(run.stdout).toContain("Undo the last applied migration");
  });
});

describe("quantchat db on PostgreSQL", { timeout: 60_000 }, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("cli");
  });
  afterAll(() => database.drop());

  it("migrates and reports status through DATABASE_URL", async () => {
    const migrate = await quantchat(database.url, "db", "migrate");
    expect(migrate.code).toBe(0);
    expect(lines(migrate.stdout)).toHaveLength(MIGRATIONS.length + 1);
    const status = await quantchat(database.url, "db", "status");
    expect(status.stdout).toMatch(/^database: postgres:\/\/postgres@127\.0\.0\.1:\d+\/qc_cli_/);
    expect(lines(status.stdout).at(-1)).toBe(`${MIGRATIONS.length} applied, 0 pending`);
  });
});
