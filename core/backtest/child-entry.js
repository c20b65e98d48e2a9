// Entry of a backtest child process (see run.ts). The child is TypeScript: tsx's loader is registered
// from here, so it resolves from the package and not from the caller's working directory.
import { register } from "tsx/esm/api";

register();
await import("./child.ts");
