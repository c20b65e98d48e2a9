import { describe, expect, it } from "vitest";
import { migratedMemoryStore } from "../../../core/store/memory-store.ts";
import { migrationStatus } from "../../../core/store/migrate.ts";

describe("migratedMemoryStore", () => {
  it("gives stores with every migration applied, each its own copy", async () => {
    const a = await migratedMemoryStore();
    const b = await migratedMemoryStore();
    try {
      for (const store of [a, b]) {
        const status = await migrationStatus(store);
        expect(status.length).toBeGreaterThan(10);
        expect(status.filter((m) => !m.applied)).toEqual([]);
      }
      await a.db.insertInto("users").values({ display_name: "Ada", created_at: 1 }).execute();
      const inA = await a.db.selectFrom("users").selectAll().execute();
      const inB = await b.db.selectFrom("users").selectAll().execute();
      expect(inA).toHaveLength(1);
      expect(inB).toHaveLength(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
