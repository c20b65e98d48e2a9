import { describe, expect, it } from "vitest";
import { createStore, databaseUrlFromEnv, isPostgresUrl } from "../../../core/store/database.ts";
import { createTestDatabase } from "../../helpers/postgres.ts";

describe("databaseUrlFromEnv", () => {
  it("reads DATABASE_URL and falls back to the embedded SQLite file", () => {
    expect(databaseUrlFromEnv({ DATABASE_URL: "postgres://db/quantchat" })).toBe("postgres://db/quantchat");
    expect(databaseUrlFromEnv({})).toBe("var/quantchat.db");
    expect(databaseUrlFromEnv({ DATABASE_URL: "  " })).toBe("var/quantchat.db");
  });

  it("tells PostgreSQL URLs from file paths", () => {
    expect(isPostgresUrl("postgres://x/y")).toBe(true);
    expect(isPostgresUrl("postgresql://x/y")).toBe(true);
    expect(isPostgresUrl("var/quantchat.db")).toBe(false);
  });
});

describe("createStore on PostgreSQL", () => {
  it("hides the password in its description and hands back int8 as numbers", async () => {
    const database = await createTestDatabase("desc");
    const url = new URL(database.url);
    url.password = "s3cret";
    const store = createStore(url.toString());
    try {
      expect(store.dialect).toBe("postgres");
      expect(store.description).not.toContain("s3cret");
      // Trust auth ignores the password, so the connection works and proves the type parsers.
      const row = await store.db
        .selectNoFrom((eb) => eb.cast<number>(eb.val("1700000000123"), "bigint").as("ts"))
        .executeTakeFirstOrThrow();
      expect(row.ts).toBe(1_700_000_000_123);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
