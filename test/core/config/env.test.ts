import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, decodeMasterKey, loadEnv, redactUrl, validateEnv } from "../../../core/config/index.ts";

/** The problems of an environment, as "NAME: message" lines. Fails if the environment is valid. */
function envProblems(source: Record<string, string>): string[] {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const HEX_KEY = "0123456789abcdef".repeat(4);

describe("loadEnv", () => {
  it("applies every default to an empty environment", () => {
    expect(loadEnv({})).toEqual({
      DATABASE_URL: "var/quantchat.db",
      PORT: 8080,
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      QUANTCHAT_CONFIG: "strategies.yaml",
      QUANTCHAT_STATE_DIR: "var",
      QUANTCHAT_DATA_DIR: "data",
    });
  });

  it("treats empty and blank values as unset", () => {
    const env = loadEnv({ PORT: "", DATABASE_URL: "  ", REDIS_URL: "", TELEGRAM_ADMINS: "" });
    expect(env.PORT).toBe(8080);
    expect(env.DATABASE_URL).toBe("var/quantchat.db");
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.TELEGRAM_ADMINS).toBeUndefined();
  });

  it("parses every variable it is given", () => {
    const env = loadEnv({
      DATABASE_URL: "postgres://bot:pw@127.0.0.1:5432/quantchat",
      REDIS_URL: "rediss://cache.internal:6380",
      PORT: "9000",
      HOST: "0.0.0.0",
      QUANTCHAT_MASTER_KEY: HEX_KEY,
      TELEGRAM_BOT_TOKEN: "123456:ABC-def_ghi",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
      TELEGRAM_ADMINS: "111, 222,333",
      DISCORD_TOKEN: "discord-token",
      LOG_LEVEL: "DEBUG",
      QUANTCHAT_CONFIG: "conf/s.yaml",
      QUANTCHAT_STATE_DIR: "/tmp/state",
      QUANTCHAT_DATA_DIR: "/srv/data",
      UNRELATED: "ignored",
    });
    expect(env).toEqual({
      DATABASE_URL: "postgres://bot:pw@127.0.0.1:5432/quantchat",
      REDIS_URL: "rediss://cache.internal:6380",
      PORT: 9000,
      HOST: "0.0.0.0",
      QUANTCHAT_MASTER_KEY: HEX_KEY,
      TELEGRAM_BOT_TOKEN: "123456:ABC-def_ghi",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
      TELEGRAM_ADMINS: [111, 222, 333],
      DISCORD_TOKEN: "discord-token",
      LOG_LEVEL: "debug",
      QUANTCHAT_CONFIG: "conf/s.yaml",
      QUANTCHAT_STATE_DIR: "/tmp/state",
      QUANTCHAT_DATA_DIR: "/srv/data",
    });
  });

  it.each(["abc", "0", "65536", "80.5", "-1"])("rejects PORT=%s", (port) => {
    expect(envProblems({ PORT: port })).toEqual([`PORT: expected an integer from 1 to 65535, got "${port}"`]);
  });

  it("accepts the database locations the store opens", () => {
    for (const url of ["var/q.db", "/abs/q.db", ":memory:", "sqlite:var/q.db", "file:q.db", "postgresql://h/db"]) {
      expect(loadEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    }
  });

  it("rejects a DATABASE_URL of another scheme without showing its password", () => {
    const lines = envProblems({ DATABASE_URL: "mysql://bot:hunter2@db.internal/quantchat" });
    expect(lines).toEqual([
      'DATABASE_URL: expected a SQLite file path (like "var/quantchat.db") or a postgres:// URL, got "mysql://bot:***@db.internal/quantchat"',
    ]);
  });

  it("rejects a REDIS_URL that is not redis:// or rediss://", () => {
    expect(envProblems({ REDIS_URL: "http://127.0.0.1:6379" })).toEqual([
      'REDIS_URL: expected a redis:// or rediss:// URL, got "http://127.0.0.1:6379"',
    ]);
  });

  it("accepts a master key as hex, base64 and base64url, and rejects other formats without echoing them", () => {
    const bytes = randomBytes(32);
    for (const key of [bytes.toString("hex"), bytes.toString("base64"), bytes.toString("base64url")]) {
      expect(loadEnv({ QUANTCHAT_MASTER_KEY: key }).QUANTCHAT_MASTER_KEY).toBe(key);
    }
    const short = randomBytes(16).toString("base64");
    const lines = envProblems({ QUANTCHAT_MASTER_KEY: short });
    expect(lines).toEqual([
      "QUANTCHAT_MASTER_KEY: expected 32 bytes written as 64 hex characters or base64, got 24 characters (value not shown)",
    ]);
    expect(lines.join("\n")).not.toContain(short);
    expect(envProblems({ QUANTCHAT_MASTER_KEY: HEX_KEY.slice(1) })[0]).toMatch(
      /got 63 characters \(value not shown\)$/,
    );
  });

  it("never repeats a bot token in a message", () => {
    const lines = envProblems({ TELEGRAM_BOT_TOKEN: "not a token but secret-ish" });
    expect(lines).toEqual([
      'TELEGRAM_BOT_TOKEN: expected a bot token from @BotFather like "123456:ABC-DEF...", got 26 characters (value not shown)',
    ]);
    expect(lines.join("\n")).not.toContain("secret-ish");
  });

  it("rejects TELEGRAM_ADMINS that are not integer ids, and an unknown LOG_LEVEL", () => {
    expect(envProblems({ TELEGRAM_ADMINS: "123,abc", LOG_LEVEL: "verbose" })).toEqual([
      'TELEGRAM_ADMINS: expected comma-separated Telegram user ids like 12345,67890, got "123,abc"',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, got "verbose"',
    ]);
  });

  it("reports every problem at once", () => {
    const result = validateEnv({ PORT: "http", TELEGRAM_API_ROOT: "ftp://x", HOST: "a b", DISCORD_TOKEN: "ok" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.file, p.path])).toEqual([
      ["", "PORT"],
      ["", "HOST"],
      ["", "TELEGRAM_API_ROOT"],
    ]);
  });
});

describe("secret helpers", () => {
  it("decodes a master key to 32 bytes, or nothing", () => {
    expect(decodeMasterKey(HEX_KEY)?.toString("hex")).toBe(HEX_KEY);
    expect(decodeMasterKey("z".repeat(64))).toBeUndefined();
    expect(decodeMasterKey(randomBytes(31).toString("base64"))).toBeUndefined();
  });

  it("redacts URL passwords and keeps other URLs as written", () => {
    expect(redactUrl("postgres://bot:hunter2@db/q")).toBe("postgres://bot:***@db/q");
    expect(redactUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    // Unparseable but holding an "@": only the scheme is safe to show.
    expect(redactUrl("postgres://bot:pw@[not-an-ip")).toBe("postgres://***");
  });
});
