#!/usr/bin/env -S node --no-node-snapshot
// The installed entry point. The CLI runs from an esbuild bundle of cli/main.ts kept in the package's
// bundle cache (core/util/compiled-entry.ts): plain node loads it in a fraction of the time tsx takes to
// compile the sources. The check that it is fresh is plain JavaScript, so a command starts without tsx;
// only when the bundle is missing or stale (the first run after an install or an edit) is tsx loaded, to
// build it, and when it cannot be built (a read-only install, an esbuild error) the CLI runs through tsx
// as it is, after one warning. tsx is registered from here, so it resolves from the package and not from
// the caller's working directory.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BUNDLE_CACHE_DIR, bundleName, freshBundle } from "../core/util/bundle-fresh.js";

const SOURCE = fileURLToPath(new URL("../cli/main.ts", import.meta.url));
// Every package stays in node_modules, and what each command's action imports dynamically is a file of
// its own: `quantchat --help` loads the commands and commander, nothing else.
const WAY = { packages: "external", split: true };

// No key: the bundle's options are all in compiled-entry.ts, which is one of the inputs checked.
const fresh = freshBundle(path.join(BUNDLE_CACHE_DIR, bundleName(SOURCE, WAY)));
if (fresh) {
  await import(pathToFileURL(fresh).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { compiledEntry } = await import("../core/util/compiled-entry.ts");
  const entry = await compiledEntry(SOURCE, SOURCE, WAY);
  await import(pathToFileURL(entry).href);
}
