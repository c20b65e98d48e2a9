import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The test cluster's URL, from the global setup. Throws rather than skipping: a test that needs
 * PostgreSQL and cannot have it has failed.
 */
export function testPostgresUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url)
    throw new Error(
      "TEST_POSTGRES_URL is not set: run the tests through vitest (test/setup/global.ts starts PostgreSQL)",
    );
  return url;
}

/** A fresh database of its own for one test file or test, so files can run in parallel. */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the test cluster and returns its URL; `drop()` removes it once its
 * connections are closed.
 * @example const { url, drop } = await createTestDatabase("orders"); afterAll(drop)
 */
export async function createTestDatabase(label = "t"): Promise<TestDatabase> {
  const admin = testPostgresUrl();
  const name = `qc_${label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 30)}_${randomBytes(4).toString("hex")}`;
  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withClient(admin, (c) => dropDatabase(c, name)),
  };
}

/**
 * Drops a database once its last connection is gone. A pool's end() resolves before the server has
 * seen every client leave, and DROP … WITH (FORCE) right then would kill those backends, whose
 * clients report it as an unhandled "terminating connection" error. So wait for them; force only
 * a connection that is still there after seconds, i.e. one a test leaked.
 */
async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}"`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "55006") throw error; // 55006: object_in_use
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
