#!/usr/bin/env -S node --no-node-snapshot
// The installed entry point. TypeScript runs through tsx's loader, registered from here so that it
// resolves from the package and not from the caller's working directory.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
