import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedAdmins } from "../../../bot/commands/access.ts";
import { BUILTIN_COMMANDS } from "../../../bot/commands/builtin/index.ts";
import { ConfirmationBook } from "../../../bot/commands/confirmations.ts";
import type { Caller, Surface } from "../../../bot/commands/context.ts";
import { createDispatcher, type Dispatcher } from "../../../bot/commands/dispatcher.ts";
import { plainText } from "../../../bot/commands/reply.ts";
import { readEngineStatus } from "../../../bot/commands/services/engine-status.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import type { Store } from "../../../core/store/database.ts";
import { listRoles } from "../../../core/store/repositories/roles.ts";
import { findUserByIdentity } from "../../../core/store/repositories/users.ts";
import { SMALL_ENGINE, startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { T0 } from "../harness.ts";

const surface: Surface = {
  progress: async () => ({ update: async () => undefined, done: async () => undefined }),
};

const caller = (platform: Caller["platform"], userId: string): Caller => ({
  platform,
  userId,
  chatId: userId,
  chatKind: "private",
  displayName: `${platform} user ${userId}`,
});

describe("the dispatcher without any chat platform", () => {
  let t: TestEngine;
  let store: Store;
  let dispatcher: Dispatcher;
  const clock = new SimulatedClock(T0);
  const run = async (who: Caller, name: string, args = "") =>
    plainText((await dispatcher.dispatch(who, { name, args }, surface)).reply);

  beforeAll(async () => {
    t = await startTestEngine(SMALL_ENGINE);
    store = t.store;
    // Only status, read from a real engine: the kill switch and the plugin list are left out.
    dispatcher = createDispatcher({
      commands: BUILTIN_COMMANDS,
      services: { status: () => readEngineStatus(t.engine, store.db) },
      db: store.db,
      clock,
      log: pino({ level: "silent" }),
    });
  }, 120_000);
  afterAll(async () => t?.close());

  it("seeds admins once, and only on their platform", async () => {
    expect(await seedAdmins(store.db, "telegram", [1, "2"], clock)).toEqual(["1", "2"]);
    expect(await seedAdmins(store.db, "telegram", [1, "2"], clock)).toEqual([]);
    const admin = await findUserByIdentity(store.db, { platform: "telegram", platformUserId: "1" });
    expect((await listRoles(store.db, admin!.id)).map((g) => [g.role, g.grantedBy])).toEqual([["admin", "system"]]);
    expect(await run(caller("telegram", "1"), "whoami")).toMatch(/Role admin/);
    // The same number on Discord is somebody else.
    expect(await run(caller("discord", "1"), "whoami")).toBe("You are not allowed to use this bot.");
  });

  it("answers politely when a core service is not built yet", async () => {
    expect(await run(caller("telegram", "1"), "plugins")).toBe("This is not available yet.");
    expect(await run(caller("telegram", "1"), "halt")).toBe("This is not available yet.");
    expect(await run(caller("telegram", "1"), "status")).toContain("Engine: running");
  });

  it("reports how each invocation ended", async () => {
    const outcome = async (who: Caller, name: string, args = "") =>
      (await dispatcher.dispatch(who, { name, args }, surface)).outcome;
    expect(await outcome(caller("telegram", "1"), "help")).toBe("ok");
    expect(await outcome(caller("telegram", "1"), "lang", "xx")).toBe("usage");
    expect(await outcome(caller("telegram", "1"), "nope")).toBe("unknown");
    expect(await outcome(caller("telegram", "77"), "help")).toBe("denied");
  });
});

describe("ConfirmationBook", () => {
  const pending = (expiresAt: number) => ({
    owner: "telegram:1",
    chatId: "1",
    command: "halt",
    role: "admin" as const,
    detail: undefined,
    expiresAt,
    action: async () => ({ blocks: [] }),
  });

  it("issues unguessable single-use tokens that expire", () => {
    const book = new ConfirmationBook();
    const a = book.issue(pending(100), 0);
    const b = book.issue(pending(100), 0);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(book.find(a, 99)).toBeDefined();
    expect(book.find(a, 100)).toBeUndefined();
    expect(book.close(b)).toBe(true);
    expect(book.find(b, 0)).toBeUndefined();
  });

  it("stays bounded however many questions are asked", () => {
    const book = new ConfirmationBook();
    const first = book.issue(pending(10_000), 0);
    for (let i = 0; i < 1_500; i++) book.issue(pending(10_000), 0);
    expect(book.size).toBeLessThanOrEqual(1_000);
    expect(book.find(first, 1)).toBeUndefined();
  });
});
