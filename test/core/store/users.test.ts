import { describe, expect, it } from "vitest";
import { grantRole, listRoles, revokeRole } from "../../../core/store/repositories/roles.ts";
import {
  createUser,
  deleteUser,
  ensureUser,
  findUser,
  findUserByIdentity,
  linkIdentity,
  listIdentities,
  listUsers,
  setUserLanguage,
  unlinkIdentity,
} from "../../../core/store/repositories/users.ts";
import { DIALECTS, useMigratedStore } from "../../helpers/db.ts";

const T0 = 1_700_000_000_000;

describe.each(DIALECTS)("users, identities and roles on %s", (dialect) => {
  const store = useMigratedStore(dialect, "users");

  it("creates users with increasing ids and English by default", async () => {
    const db = store().db;
    const alice = await createUser(db, { displayName: "alice", createdAt: T0 });
    const bob = await createUser(db, { displayName: "bob", language: "ko", createdAt: T0 + 1 });
    expect(alice).toEqual({ id: alice.id, displayName: "alice", language: "en", createdAt: T0 });
    expect(typeof alice.id).toBe("number");
    expect(bob.id).toBeGreaterThan(alice.id);
    expect(await findUser(db, bob.id)).toEqual(bob);
    expect(await setUserLanguage(db, alice.id, "ko")).toBe(true);
    expect((await findUser(db, alice.id))?.language).toBe("ko");
    expect((await listUsers(db)).map((u) => u.displayName)).toEqual(expect.arrayContaining(["alice", "bob"]));
  });

  it("finds a user by any of their platform identities; an identity belongs to one user", async () => {
    const db = store().db;
    const carol = await createUser(db, { displayName: "carol", createdAt: T0 });
    const dave = await createUser(db, { displayName: "dave", createdAt: T0 });
    const tg = { platform: "telegram", platformUserId: "1001" } as const;
    const dc = { platform: "discord", platformUserId: "2002" } as const;
    expect(await linkIdentity(db, carol.id, tg)).toBe(true);
    expect(await linkIdentity(db, carol.id, dc)).toBe(true);
    expect(await linkIdentity(db, dave.id, tg)).toBe(false);
    expect(await findUserByIdentity(db, tg)).toEqual(carol);
    expect(await findUserByIdentity(db, dc)).toEqual(carol);
    expect(await listIdentities(db, carol.id)).toEqual([dc, tg]);
    expect(await findUserByIdentity(db, { platform: "web", platformUserId: "1001" })).toBeUndefined();
    expect(await unlinkIdentity(db, dc)).toBe(true);
    expect(await findUserByIdentity(db, dc)).toBeUndefined();
  });

  it("creates a user the first time an identity is seen, and only then", async () => {
    const db = store().db;
    const id = { platform: "telegram", platformUserId: "3003" } as const;
    const first = await ensureUser(db, id, { displayName: "erin", language: "ko", createdAt: T0 });
    const again = await ensureUser(db, id, { displayName: "someone else", createdAt: T0 + 1 });
    expect(again).toEqual(first);
    expect(first).toMatchObject({ displayName: "erin", language: "ko" });
  });

  it("grants and revokes roles, lowest first, and deleting a user takes identities and roles", async () => {
    const db = store().db;
    const frank = await createUser(db, { displayName: "frank", createdAt: T0 });
    await linkIdentity(db, frank.id, { platform: "web", platformUserId: "frank" });
    expect(await grantRole(db, { userId: frank.id, role: "admin", grantedBy: "system", grantedAt: T0 })).toBe(true);
    expect(await grantRole(db, { userId: frank.id, role: "viewer", grantedBy: "telegram:1", grantedAt: T0 + 1 })).toBe(
      true,
    );
    expect(await grantRole(db, { userId: frank.id, role: "viewer", grantedBy: "telegram:2", grantedAt: T0 + 2 })).toBe(
      false,
    );
    expect(await listRoles(db, frank.id)).toEqual([
      { userId: frank.id, role: "viewer", grantedBy: "telegram:1", grantedAt: T0 + 1 },
      { userId: frank.id, role: "admin", grantedBy: "system", grantedAt: T0 },
    ]);
    expect(await revokeRole(db, frank.id, "admin")).toBe(true);
    expect(await revokeRole(db, frank.id, "admin")).toBe(false);
    expect((await listRoles(db, frank.id)).map((g) => g.role)).toEqual(["viewer"]);

    expect(await deleteUser(db, frank.id)).toBe(true);
    expect(await listRoles(db, frank.id)).toEqual([]);
    expect(await findUserByIdentity(db, { platform: "web", platformUserId: "frank" })).toBeUndefined();
    expect(await listIdentities(db, frank.id)).toEqual([]);
  });

  it("refuses a role or identity for a user that does not exist", async () => {
    const db = store().db;
    await expect(grantRole(db, { userId: 999_999, role: "admin", grantedBy: "x", grantedAt: T0 })).rejects.toThrow();
    await expect(linkIdentity(db, 999_999, { platform: "web", platformUserId: "ghost" })).rejects.toThrow();
  });
});
