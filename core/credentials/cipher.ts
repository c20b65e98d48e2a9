import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { CredentialError } from "./errors.ts";
import { type MasterKeyInput, requireMasterKey } from "./master-key.ts";
import type { CredentialSecrets } from "./opened.ts";

/** Ciphertext, IV and GCM tag, base64, as the credentials table stores them. */
export interface SealedCredential {
  readonly ciphertext: string;
  readonly iv: string;
  readonly authTag: string;
}

/** What a ciphertext is bound to: decrypting it under another name or exchange fails. */
export interface CredentialBinding {
  readonly name: string;
  readonly exchange: string;
}

const ALGORITHM = "aes-256-gcm";
// 96-bit IVs are GCM's native size; random ones are safe for far more encryptions than a vault sees.
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Bumped if the plaintext format or the binding ever changes, so old rows fail loudly, not oddly.
const FORMAT = "quantchat/credential/v1";

/**
 * Encrypts a credential with AES-256-GCM under the master key and a fresh random IV. The name and
 * exchange go in as associated data, so a row's ciphertext cannot be moved to another row (or its
 * exchange edited) without decryption failing.
 * @example
 * const sealed = sealCredential(env.QUANTCHAT_MASTER_KEY, { name: "binance-main", exchange: "binance" }, { apiKey, secret });
 */
export function sealCredential(
  masterKey: MasterKeyInput,
  binding: CredentialBinding,
  secrets: CredentialSecrets,
): SealedCredential {
  const key = requireMasterKey(masterKey);
  const plaintext = Buffer.from(JSON.stringify(plain(secrets)), "utf8");
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(binding));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      ciphertext: ciphertext.toString("base64"),
      iv: iv.toString("base64"),
      authTag: cipher.getAuthTag().toString("base64"),
    };
  } finally {
    // Best effort: the JS strings the secrets came in cannot be wiped, but our copies can.
    plaintext.fill(0);
    key.fill(0);
  }
}

/**
 * Decrypts and authenticates a sealed credential. Any failure (wrong key, a changed byte of
 * ciphertext, IV or tag, a row moved to another name or exchange) is one CredentialError that names
 * the credential and nothing else.
 * @example const { apiKey, secret } = unsealCredential(key, { name: "binance-main", exchange: "binance" }, row)
 */
export function unsealCredential(
  masterKey: MasterKeyInput,
  binding: CredentialBinding,
  sealed: SealedCredential,
): CredentialSecrets {
  const key = requireMasterKey(masterKey);
  let plaintext: Buffer | undefined;
  try {
    const iv = Buffer.from(sealed.iv, "base64");
    const tag = Buffer.from(sealed.authTag, "base64");
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw undecryptable(binding.name);
    // authTagLength makes setAuthTag refuse a truncated tag; without it Node accepts 4-byte tags,
    // which someone able to edit the table could forge by brute force.
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(binding));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]);
    return parseSecrets(plaintext, binding.name);
  } catch (error) {
    if (error instanceof CredentialError) throw error;
    // Node's message ("unable to authenticate data") is replaced, not wrapped: it helps nobody.
    throw undecryptable(binding.name);
  } finally {
    plaintext?.fill(0);
    key.fill(0);
  }
}

function associatedData(binding: CredentialBinding): Buffer {
  // A JSON array keeps the fields apart: ("a-b", "c") and ("a", "b-c") never encode alike.
  return Buffer.from(JSON.stringify([FORMAT, binding.name, binding.exchange]), "utf8");
}

function plain(secrets: CredentialSecrets): CredentialSecrets {
  // Copied field by field: an OpenedCredential's toJSON would otherwise seal "[redacted]".
  const { apiKey, secret, password } = secrets;
  return password === undefined ? { apiKey, secret } : { apiKey, secret, password };
}

function parseSecrets(plaintext: Buffer, name: string): CredentialSecrets {
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString("utf8"));
  } catch {
    // JSON.parse's message quotes the text around the fault, which here is the secret.
    value = undefined;
  }
  if (!isSecrets(value)) {
    throw new CredentialError(`cannot read credential ${name}: it decrypted to an unexpected format`, "undecryptable");
  }
  return value;
}

function isSecrets(value: unknown): value is CredentialSecrets {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.apiKey === "string" &&
    typeof v.secret === "string" &&
    (v.password === undefined || typeof v.password === "string")
  );
}

function undecryptable(name: string): CredentialError {
  return new CredentialError(
    `cannot decrypt credential ${name}: wrong QUANTCHAT_MASTER_KEY or tampered data`,
    "undecryptable",
  );
}
