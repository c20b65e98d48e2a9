import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { findPostgresBinaries } from "./postgres.ts";

describe("the test PostgreSQL", () => {
  it("is running and reachable at TEST_POSTGRES_URL", async () => {
    const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string }>("select current_database() as db");
      expect(rows[0]?.db).toBe(new URL(process.env.TEST_POSTGRES_URL ?? "").pathname.slice(1));
    } finally {
      await client.end();
    }
  });

  it("fails loudly, saying what to install, when the server binaries are missing", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "quantchat-nopg-"));
    try {
      const search = { pgConfig: path.join(empty, "pg_config"), debianRoot: path.join(empty, "lib"), path: empty };
      await expect(findPostgresBinaries(search)).rejects.toThrow(/not found.*apt-get install -y postgresql/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("finds the server binaries on this machine", async () => {
    const dir = await findPostgresBinaries();
    for (const tool of ["initdb", "pg_ctl", "postgres"]) expect(existsSync(path.join(dir, tool))).toBe(true);
  });
});
