import { decodeMasterKey } from "../config/secrets.ts";
import { CredentialError } from "./errors.ts";

/** How to make a key, quoted in every "missing key" message; the same command .env.example gives. */
export const GENERATE_MASTER_KEY = `node -e "console.log(require('crypto').randomBytes(32).toString('hex'))"`;

/**
 * The master key as callers hold it: the text of QUANTCHAT_MASTER_KEY (64 hex characters or base64),
 * the 32 bytes themselves, or undefined when the variable is not set.
 */
export type MasterKeyInput = string | Uint8Array | undefined;

const KEY_BYTES = 32;

/**
 * The 32-byte AES key, as a fresh Buffer the caller may zero when done. Throws a CredentialError that
 * says how to generate a key when there is none, and one that never quotes the value when it is malformed.
 * @example const key = requireMasterKey(loadEnv().QUANTCHAT_MASTER_KEY) // Buffer(32)
 * @example requireMasterKey(undefined) // throws "QUANTCHAT_MASTER_KEY is not set: it is needed to …"
 */
export function requireMasterKey(input: MasterKeyInput): Buffer {
  if (input === undefined || (typeof input === "string" && input.trim() === "")) {
    throw new CredentialError(
      "QUANTCHAT_MASTER_KEY is not set: it is needed to store or use exchange credentials " +
        `(generate one with: ${GENERATE_MASTER_KEY}, and keep it out of version control)`,
      "missing-master-key",
    );
  }
  // Buffer.from(Uint8Array) copies, so zeroing the result never wipes the caller's key.
  const key = typeof input === "string" ? decodeMasterKey(input.trim()) : Buffer.from(input);
  if (key === undefined || key.length !== KEY_BYTES) {
    throw new CredentialError(
      "QUANTCHAT_MASTER_KEY is not a valid key: expected 32 bytes written as 64 hex characters or base64 " +
        "(value not shown)",
      "invalid-master-key",
    );
  }
  return key;
}
