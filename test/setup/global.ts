/**
 * Runs once before the suites: servers the tests share (PostgreSQL) are started here and their
 * addresses handed to the workers through the environment.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const teardowns: (() => Promise<void>)[] = [];
  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}
