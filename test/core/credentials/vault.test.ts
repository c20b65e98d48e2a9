import { describe, expect, it } from "vitest";
import { SimulatedClock } from "../../../core/clock.ts";
import { CredentialError } from "../../../core/credentials/errors.ts";
import { addCredential, listCredentials, openCredential, removeCredential } from "../../../core/credentials/vault.ts";
import { listAudit } from "../../../core/store/repositories/audit.ts";
import { findCredential } from "../../../core/store/repositories/credentials.ts";
import { DIALECTS, useMigratedStore } from "../../helpers/db.ts";
import { sampleMasterKey, sampleSecrets } from "./fixtures.ts";

/** The CredentialError `work` rejects with, failing the test when it resolves. */
async function rejection(work: Promise<unknown>): Promise<CredentialError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialError);
  return error as CredentialError;
}

describe.each(DIALECTS)("credential vault on %s", (dialect) => {
  const store = useMigratedStore(dialect, "credentials");
  const key = sampleMasterKey();
  const clock = new SimulatedClock(1_700_000_000_000);

  it("stores a credential and opens it again with the same key", async () => {
    const secrets = sampleSecrets();
    const summary = await addCredential(store(), key, { name: "okx-main", exchange: "okx", ...secrets }, { clock });
    expect(summary).toEqual({
      name: "okx-main",
      exchange: "okx",
      keyHint: `${secrets.apiKey.slice(0, 4)}…${secrets.apiKey.slice(-4)}`,
      createdAt: 1_700_000_000_000,
    });
    const opened = await openCredential(store(), key, "okx-main");
    expect([opened.name, opened.exchange, opened.apiKey, opened.secret, opened.password]).toEqual([
      "okx-main",
      "okx",
      secrets.apiKey,
      secrets.secret,
      secrets.password,
    ]);
  });

  it("keeps only ciphertext in the row", async () => {
    const secrets = sampleSecrets();
    await addCredential(store(), key, { name: "row-check", exchange: "binance", ...secrets });
    const row = JSON.stringify(await findCredential(store().db, "row-check"));
    for (const value of [secrets.apiKey, secrets.secret, secrets.password, key]) expect(row).not.toContain(value);
  });

  it("lists names, exchanges and masked keys only", async () => {
    const secrets = sampleSecrets();
    await addCredential(store(), key, { name: "binance-list", exchange: "binance", ...secrets });
    const listed = await listCredentials(store());
    const entry = listed.find((c) => c.name === "binance-list");
    expect(entry).toMatchObject({
      exchange: "binance",
      keyHint: `${secrets.apiKey.slice(0, 4)}…${secrets.apiKey.slice(-4)}`,
    });
    for (const c of listed) expect(Object.keys(c).sort()).toEqual(["createdAt", "exchange", "keyHint", "name"]);
    const text = JSON.stringify(listed);
    for (const value of [secrets.apiKey, secrets.secret, secrets.password]) expect(text).not.toContain(value);
  });

  it("refuses a second credential under a taken name, keeping the first", async () => {
    const first = sampleSecrets();
    await addCredential(store(), key, { name: "taken", exchange: "binance", ...first });
    const error = await rejection(
      addCredential(store(), key, { name: "taken", exchange: "binance", ...sampleSecrets() }),
    );
    expect(error.message).toBe("a credential named taken already exists: remove it first to replace it");
    expect((await openCredential(store(), key, "taken")).secret).toBe(first.secret);
  });

  it("removes a credential once", async () => {
    await addCredential(store(), key, { name: "to-remove", exchange: "upbit", ...sampleSecrets() });
    expect(await removeCredential(store(), "to-remove")).toBe(true);
    expect(await removeCredential(store(), "to-remove")).toBe(false);
    const error = await rejection(openCredential(store(), key, "to-remove"));
    expect(error.code).toBe("not-found");
    expect(error.message).toMatch(/^no credential named to-remove: add it with `quantchat credentials add to-remove/);
  });

  it("records adds and removes in the audit log, without secrets", async () => {
    const secrets = sampleSecrets();
    await addCredential(store(), key, { name: "audited", exchange: "binance", ...secrets }, { actor: "cli:alice" });
    await removeCredential(store(), "audited", { actor: "cli:alice" });
    const entries = (await listAudit(store().db, { order: "asc" })).filter((e) => e.target === "audited");
    expect(entries.map((e) => [e.action, e.actor, e.outcome])).toEqual([
      ["credentials.add", "cli:alice", "ok"],
      ["credentials.remove", "cli:alice", "ok"],
    ]);
    const text = JSON.stringify(entries);
    for (const value of [secrets.apiKey, secrets.secret, secrets.password]) expect(text).not.toContain(value);
  });

  it("fails clearly under a wrong master key", async () => {
    await addCredential(store(), key, { name: "wrong-key", exchange: "binance", ...sampleSecrets() });
    const error = await rejection(openCredential(store(), sampleMasterKey(), "wrong-key"));
    expect(error.message).toBe("cannot decrypt credential wrong-key: wrong QUANTCHAT_MASTER_KEY or tampered data");
  });

  it("fails clearly when rows are swapped or their exchange edited", async () => {
    await addCredential(store(), key, { name: "victim", exchange: "binance", ...sampleSecrets() });
    await addCredential(store(), key, { name: "attacker", exchange: "binance", ...sampleSecrets() });
    const attacker = await findCredential(store().db, "attacker");
    // Someone with write access to the table moves their own ciphertext under the victim's name.
    await store()
      .db.updateTable("credentials")
      .set({ ciphertext: attacker!.ciphertext, iv: attacker!.iv, auth_tag: attacker!.authTag })
      .where("name", "=", "victim")
      .execute();
    const swapped = await rejection(openCredential(store(), key, "victim"));
    expect(swapped.message).toBe("cannot decrypt credential victim: wrong QUANTCHAT_MASTER_KEY or tampered data");

    await store().db.updateTable("credentials").set({ exchange: "okx" }).where("name", "=", "attacker").execute();
    const moved = await rejection(openCredential(store(), key, "attacker"));
    expect(moved.message).toBe("cannot decrypt credential attacker: wrong QUANTCHAT_MASTER_KEY or tampered data");
  });

  it("fails clearly when a stored byte was changed", async () => {
    await addCredential(store(), key, { name: "tampered", exchange: "binance", ...sampleSecrets() });
    const row = await findCredential(store().db, "tampered");
    const bytes = Buffer.from(row!.ciphertext, "base64");
    bytes[0] = (bytes[0] as number) ^ 0x80;
    await store()
      .db.updateTable("credentials")
      .set({ ciphertext: bytes.toString("base64") })
      .where("name", "=", "tampered")
      .execute();
    const error = await rejection(openCredential(store(), key, "tampered"));
    expect(error.message).toBe("cannot decrypt credential tampered: wrong QUANTCHAT_MASTER_KEY or tampered data");
  });

  it("asks for the master key before storing or opening anything", async () => {
    const missing = await rejection(
      addCredential(store(), undefined, { name: "no-key", exchange: "binance", ...sampleSecrets() }),
    );
    expect(missing.message).toMatch(
      /^QUANTCHAT_MASTER_KEY is not set: it is needed to store or use exchange credentials/,
    );
    expect((await listCredentials(store())).map((c) => c.name)).not.toContain("no-key");
    expect((await rejection(openCredential(store(), undefined, "okx-main"))).code).toBe("missing-master-key");
  });

  it("rejects invalid input without quoting secrets", async () => {
    const secrets = sampleSecrets();
    const cases = [
      [{ name: "Bad Name", exchange: "binance", ...secrets }, /^invalid credential name "Bad Name"/],
      [{ name: "ok", exchange: "Binance!", ...secrets }, /^invalid exchange "Binance!"/],
      [{ name: "ok", exchange: "binance", ...secrets, secret: "  " }, /^the secret is empty$/],
      [{ name: "ok", exchange: "binance", ...secrets, apiKey: "" }, /^the apiKey is empty$/],
    ] as const;
    for (const [input, message] of cases) {
      const error = await rejection(addCredential(store(), key, input));
      expect(error.code).toBe("invalid-input");
      expect(error.message).toMatch(message);
      for (const value of Object.values(secrets)) expect(error.message).not.toContain(value);
    }
  });
});
