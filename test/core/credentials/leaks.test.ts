import path from "node:path";
import { describe, expect, it } from "vitest";
import { addCredential, openCredential } from "../../../core/credentials/vault.ts";
import { createLogger } from "../../../core/log.ts";
import { migrateToLatest } from "../../../core/store/migrate.ts";
import { openTestStore } from "../../helpers/db.ts";
import { bytesOfDir, holds, sampleMasterKey, sampleSecrets } from "./fixtures.ts";

// End to end: whatever path a secret could take to disk or to a log, it is not there.
describe("credential secrets never leak", () => {
  it("are not in the SQLite file, its WAL or the audit log, in any common encoding", async () => {
    const t = await openTestStore("sqlite", "leaks");
    const dir = path.dirname(t.url);
    const key = sampleMasterKey();
    const secrets = sampleSecrets();
    try {
      await migrateToLatest(t.store);
      await addCredential(t.store, key, { name: "binance-leak", exchange: "binance", ...secrets });
      await openCredential(t.store, key, "binance-leak");
      const whileOpen = bytesOfDir(dir);
      await t.store.close();
      const afterClose = bytesOfDir(dir);
      for (const bytes of [whileOpen, afterClose]) {
        // Positive controls: the search does see what was written.
        expect(holds(bytes, "binance-leak")).toBe(true);
        expect(holds(bytes, `${secrets.apiKey.slice(0, 4)}…${secrets.apiKey.slice(-4)}`)).toBe(true);
        for (const value of [secrets.apiKey, secrets.secret, secrets.password, key])
          expect(holds(bytes, value)).toBe(false);
      }
    } finally {
      await t.cleanup().catch(() => undefined);
    }
  });

  it("are not in the log when the opened credential or a credential error is logged", async () => {
    const t = await openTestStore("sqlite", "leaks-log");
    const key = sampleMasterKey();
    const secrets = sampleSecrets();
    let output = "";
    const log = createLogger({
      level: "trace",
      destination: {
        write: (line: string) => {
          output += line;
        },
      },
    });
    try {
      await migrateToLatest(t.store);
      await addCredential(t.store, key, { name: "okx-log", exchange: "okx", ...secrets });
      const creds = await openCredential(t.store, key, "okx-log");
      log.info({ creds }, "credential opened");
      log.debug({ account: { id: "okx-1", credentials: creds } }, "building the exchange client");
      // The second line of defence, core/log.ts's redaction by field name, for code that unpacks it.
      log.info({ apiKey: creds.apiKey, secret: creds.secret, password: creds.password }, "unpacked");
      const wrongKey = await openCredential(t.store, sampleMasterKey(), "okx-log").catch((e: unknown) => e);
      log.error({ err: wrongKey }, "cannot open credential");
      const noKey = await openCredential(t.store, undefined, "okx-log").catch((e: unknown) => e);
      log.error({ err: noKey }, "cannot open credential");
    } finally {
      await t.cleanup();
    }
    expect(output.trim().split("\n")).toHaveLength(5);
    expect(output).toContain("cannot decrypt credential okx-log: wrong QUANTCHAT_MASTER_KEY or tampered data");
    expect(output).toContain("QUANTCHAT_MASTER_KEY is not set");
    expect(output).toContain('"creds":"[redacted]"');
    for (const value of [secrets.apiKey, secrets.secret, secrets.password, key]) expect(output).not.toContain(value);
  });
});
