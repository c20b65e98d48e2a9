import { createStore, type Store, storeFromImage } from "./database.ts";
import { migrateToLatest } from "./migrate.ts";

// The bytes of an empty, migrated in-memory database, made once per process.
let image: Promise<Buffer> | undefined;

/**
 * A fresh in-memory SQLite store with every migration applied. The migrations run once per process;
 * each store after that starts from a copy of the migrated database's bytes, so a backtest (which
 * gets a throwaway database of its own) or a sweep of a hundred pays milliseconds once, not per run.
 * @example const store = await migratedMemoryStore(); try { ... } finally { await store.close(); }
 */
export async function migratedMemoryStore(): Promise<Store> {
  image ??= migratedImage().catch((error: unknown) => {
    image = undefined; // the next store tries again
    throw error;
  });
  return storeFromImage(await image);
}

async function migratedImage(): Promise<Buffer> {
  const store = createStore(":memory:");
  try {
    await migrateToLatest(store);
    return (store.sqlite as NonNullable<Store["sqlite"]>).serialize();
  } finally {
    await store.close();
  }
}
