import { startTestPostgres } from "./postgres.ts";

/**
 * Runs once before the suites: servers the tests share (PostgreSQL) are started here and their
 * addresses handed to the workers through the environment, which forked workers inherit.
 * TEST_POSTGRES_URL set from outside (a server of your own, a CI service) is used as it is.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const teardowns: (() => Promise<void>)[] = [];
  if (!process.env.TEST_POSTGRES_URL) {
    const postgres = await startTestPostgres();
    process.env.TEST_POSTGRES_URL = postgres.url;
    teardowns.push(() => postgres.stop());
  }
  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}
