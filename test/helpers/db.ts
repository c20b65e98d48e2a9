import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createStore, type DialectName, type Store } from "../../core/store/database.ts";
import { migrateToLatest } from "../../core/store/migrate.ts";
import { createTestDatabase } from "./postgres.ts";

/** Both engines the store runs on; `describe.each(DIALECTS)` runs a suite on each. */
export const DIALECTS: readonly DialectName[] = ["sqlite", "postgres"];

/** An empty store on a temporary SQLite file or a fresh PostgreSQL database. */
export interface TestStore {
  readonly store: Store;
  readonly url: string;
  /** Closes the store and removes the file or database. */
  cleanup(): Promise<void>;
}

/**
 * Opens an empty store of the given dialect, not yet migrated.
 * @example const t = await openTestStore("postgres", "orders"); await migrateToLatest(t.store); afterAll(t.cleanup)
 */
export async function openTestStore(dialect: DialectName, label = "store"): Promise<TestStore> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-sqlite-"));
    const url = path.join(dir, `${label}.db`);
    const store = createStore(url);
    return {
      store,
      url,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestDatabase(label);
  const store = createStore(database.url);
  return {
    store,
    url: database.url,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/**
 * Registers hooks that open and migrate a store before the suite's tests and remove it after them;
 * returns the store's getter (the store exists only once beforeAll has run).
 * @example describe.each(DIALECTS)("%s", (dialect) => { const store = useMigratedStore(dialect, "orders"); … })
 */
export function useMigratedStore(dialect: DialectName, label: string): () => Store {
  let opened: TestStore | undefined;
  beforeAll(async () => {
    opened = await openTestStore(dialect, label);
    await migrateToLatest(opened.store);
  });
  afterAll(async () => {
    await opened?.cleanup();
  });
  return () => {
    if (!opened) throw new Error("the store is opened in beforeAll; call the getter inside a test");
    return opened.store;
  };
}
