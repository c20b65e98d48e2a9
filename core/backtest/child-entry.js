// Entry of a backtest child process when no compiled bundle of child.ts can be had (see run.ts and
// core/util/compiled-entry.ts): tsx's loader is registered from here, so it resolves from the package
// and not from the caller's working directory.
import { register } from "tsx/esm/api";

register();
await import("./child.ts");
