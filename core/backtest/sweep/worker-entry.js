// Entry of a sweep worker process when no compiled bundle of worker.ts can be had (see pool.ts): tsx's
// loader is registered from here, so it resolves from the package and not from the caller's working
// directory (as bin/quantchat.js does).
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
