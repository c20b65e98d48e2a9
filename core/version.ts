import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The engine version recorded in /health and in every backtest result: package.json's. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

let engineHash: string | undefined;

/**
 * The hash of the engine's own sources (every file under core/, see sourcesHash), computed once per
 * process, tens of ms. VERSION changes only with a release; this changes with any edit, so a result
 * stored by other engine code (a metric's formula since fixed) is never taken for this engine's.
 * @example engineCodeHash() // "5d41…" (64 hex digits)
 */
export function engineCodeHash(): string {
  engineHash ??= sourcesHash(fileURLToPath(new URL("./", import.meta.url)));
  return engineHash;
}

/**
 * sha256 over every file under `root`: each one's path relative to `root` and its content, in path
 * order, so it depends on what the files say and where they are, not on when they were written.
 * @example sourcesHash("/app/core") // "5d41…"
 */
export function sourcesHash(root: string): string {
  const hash = createHash("sha256");
  for (const file of filesUnder(root)) {
    const content = readFileSync(file);
    // Each file's length before its bytes: no two different trees can run together into one stream.
    hash.update(`${path.relative(root, file)}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest("hex");
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const at = path.join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(at);
      return entry.isFile() ? [at] : [];
    });
}
