import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * A credential with values unique to this run, so finding one in a file or a log can only mean it
 * leaked from here. The key is long enough to be masked as first 4 … last 4.
 */
export function sampleSecrets() {
  return {
    apiKey: `AK${randomBytes(16).toString("hex").toUpperCase()}ZZ`,
    secret: `sec-${randomBytes(20).toString("hex")}`,
    password: `pw-${randomBytes(8).toString("hex")}`,
  };
}

/** A master key as QUANTCHAT_MASTER_KEY holds it: 64 hex characters. */
export function sampleMasterKey(): string {
  return randomBytes(32).toString("hex");
}

/** The ways a string could sit in a file: UTF-8, UTF-16, base64 and hex of its UTF-8 bytes. */
export function encodingsOf(text: string): Buffer[] {
  const utf8 = Buffer.from(text, "utf8");
  return [utf8, Buffer.from(text, "utf16le"), Buffer.from(utf8.toString("base64")), Buffer.from(utf8.toString("hex"))];
}

/** Every file in a folder (the SQLite file, its -wal and -shm), concatenated. */
export function bytesOfDir(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).map((file) => readFileSync(path.join(dir, file))));
}

/** True when `haystack` holds `text` in any of the encodings of `encodingsOf`. */
export function holds(haystack: Buffer, text: string): boolean {
  return encodingsOf(text).some((needle) => haystack.includes(needle));
}
