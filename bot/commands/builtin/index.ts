import type { Command } from "../define.ts";
import { grant } from "./grant.ts";
import { halt } from "./halt.ts";
import { help } from "./help.ts";
import { lang } from "./lang.ts";
import { notify } from "./notify.ts";
import { plugins } from "./plugins.ts";
import { reduce } from "./reduce.ts";
import { resume } from "./resume.ts";
import { revoke } from "./revoke.ts";
import { start } from "./start.ts";
import { status } from "./status.ts";
import { whoami } from "./whoami.ts";

/**
 * The commands built so far, in the order menus and /help list them. Commands that need core parts
 * not built yet (/balance, /positions, /backtest, …) are added here when those parts exist.
 */
export const BUILTIN_COMMANDS: readonly Command[] = [
  start,
  help,
  status,
  plugins,
  notify,
  whoami,
  lang,
  halt,
  reduce,
  resume,
  grant,
  revoke,
];

export { grant, halt, help, lang, notify, plugins, reduce, resume, revoke, start, status, whoami };
