import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type SealedCredential, sealCredential, unsealCredential } from "../../../core/credentials/cipher.ts";
import { CredentialError } from "../../../core/credentials/errors.ts";
import { requireMasterKey } from "../../../core/credentials/master-key.ts";
import { sampleMasterKey, sampleSecrets } from "./fixtures.ts";

const binding = { name: "binance-main", exchange: "binance" };
const WRONG = "cannot decrypt credential binance-main: wrong QUANTCHAT_MASTER_KEY or tampered data";

/** The error `work` throws, failing the test when it throws none. */
function thrown(work: () => unknown): CredentialError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialError);
    return error as CredentialError;
  }
  throw new Error("expected an error, got none");
}

/** `sealed` with one bit of one base64 field flipped. */
function flipped(sealed: SealedCredential, field: keyof SealedCredential, at = 0): SealedCredential {
  const bytes = Buffer.from(sealed[field], "base64");
  bytes[at] = (bytes[at] as number) ^ 0x01;
  return { ...sealed, [field]: bytes.toString("base64") };
}

describe("sealCredential / unsealCredential", () => {
  const key = sampleMasterKey();
  const secrets = sampleSecrets();
  const sealed = sealCredential(key, binding, secrets);

  it("round-trips key, secret and password", () => {
    expect(unsealCredential(key, binding, sealed)).toEqual(secrets);
    const withoutPassword = { apiKey: secrets.apiKey, secret: secrets.secret };
    expect(unsealCredential(key, binding, sealCredential(key, binding, withoutPassword))).toEqual(withoutPassword);
  });

  it("uses AES-GCM's 12-byte IV and 16-byte tag, fresh each time", () => {
    const again = sealCredential(key, binding, secrets);
    expect(Buffer.from(sealed.iv, "base64")).toHaveLength(12);
    expect(Buffer.from(sealed.authTag, "base64")).toHaveLength(16);
    expect(again.iv).not.toBe(sealed.iv);
    expect(again.ciphertext).not.toBe(sealed.ciphertext);
  });

  it("accepts the master key as hex, base64, base64url or bytes", () => {
    const bytes = Buffer.from(key, "hex");
    for (const form of [bytes, bytes.toString("base64"), bytes.toString("base64url"), new Uint8Array(bytes)]) {
      expect(unsealCredential(form, binding, sealed)).toEqual(secrets);
    }
  });

  it("fails with the clear message, and nothing more, under a wrong key", () => {
    const error = thrown(() => unsealCredential(sampleMasterKey(), binding, sealed));
    expect(error.message).toBe(WRONG);
    expect(error.code).toBe("undecryptable");
    expect(error.cause).toBeUndefined();
  });

  it.each(["ciphertext", "iv", "authTag"] as const)("detects a flipped bit in the %s", (field) => {
    expect(thrown(() => unsealCredential(key, binding, flipped(sealed, field))).message).toBe(WRONG);
    const last = Buffer.from(sealed[field], "base64").length - 1;
    expect(thrown(() => unsealCredential(key, binding, flipped(sealed, field, last))).message).toBe(WRONG);
  });

  it("refuses a truncated tag, which Node would otherwise accept down to 4 bytes", () => {
    const short = { ...sealed, authTag: Buffer.from(sealed.authTag, "base64").subarray(0, 4).toString("base64") };
    expect(thrown(() => unsealCredential(key, binding, short)).message).toBe(WRONG);
  });

  it("binds the ciphertext to the credential's name and exchange", () => {
    expect(thrown(() => unsealCredential(key, { ...binding, name: "okx-main" }, sealed)).message).toBe(
      "cannot decrypt credential okx-main: wrong QUANTCHAT_MASTER_KEY or tampered data",
    );
    expect(thrown(() => unsealCredential(key, { ...binding, exchange: "binanceus" }, sealed)).message).toBe(WRONG);
  });

  it("keeps secrets and the key out of every error", () => {
    const errors = [
      thrown(() => unsealCredential(sampleMasterKey(), binding, sealed)),
      thrown(() => unsealCredential(key, binding, flipped(sealed, "ciphertext"))),
    ];
    for (const error of errors) {
      const text = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
      for (const value of [secrets.apiKey, secrets.secret, secrets.password, key]) expect(text).not.toContain(value);
    }
  });
});

describe("requireMasterKey", () => {
  it.each([undefined, "", "   "])("says how to make a key when there is none (%j)", (input) => {
    const error = thrown(() => requireMasterKey(input));
    expect(error.code).toBe("missing-master-key");
    expect(error.message).toMatch(
      /^QUANTCHAT_MASTER_KEY is not set: it is needed to store or use exchange credentials \(generate one with: node -e .*randomBytes\(32\)/,
    );
    expect(thrown(() => sealCredential(input, binding, sampleSecrets())).code).toBe("missing-master-key");
  });

  it("rejects a malformed key without quoting it", () => {
    const near = `${randomBytes(31).toString("hex")}zz`;
    for (const input of [near, Buffer.alloc(16)]) {
      const error = thrown(() => requireMasterKey(input));
      expect(error.code).toBe("invalid-master-key");
      expect(error.message).not.toContain(near);
    }
  });

  it("returns a copy the caller may wipe", () => {
    const bytes = randomBytes(32);
    const copy = requireMasterKey(bytes);
    copy.fill(0);
    expect(bytes.equals(Buffer.alloc(32))).toBe(false);
  });
});
