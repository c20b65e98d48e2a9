// The bootstrap's entry point, bundled with core/indicators into one script that the host runs in each
// new isolate before the plugin's own code. It leaves exactly one thing behind: a dispatch function on a
// configurable global, which the host takes a reference to and deletes before any plugin code runs.

import { INDICATORS } from "../../../indicators/index.ts";
import { harden } from "./harden.ts";
import { DISPATCH_GLOBAL } from "./limits.ts";
import { Runtime } from "./runtime.ts";

const runtime = new Runtime(INDICATORS);
harden();
Object.defineProperty(globalThis, DISPATCH_GLOBAL, {
  value: (op: string, payload: string, extra?: unknown) => runtime.dispatch(op, payload, extra),
  configurable: true,
  enumerable: false,
  writable: false,
});
