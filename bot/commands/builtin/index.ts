import type { Command } from "../define.ts";
import { backtest } from "./backtest.ts";
import { balance } from "./balance.ts";
import { buy } from "./buy.ts";
import { chart } from "./chart.ts";
import { close } from "./close.ts";
import { daily } from "./daily.ts";
import { grant } from "./grant.ts";
import { halt } from "./halt.ts";
import { help } from "./help.ts";
import { lang } from "./lang.ts";
import { notify } from "./notify.ts";
import { orders } from "./orders.ts";
import { performance } from "./performance.ts";
import { plugins } from "./plugins.ts";
import { pnl } from "./pnl.ts";
import { positions } from "./positions.ts";
import { reduce } from "./reduce.ts";
import { resume } from "./resume.ts";
import { revoke } from "./revoke.ts";
import { risk } from "./risk.ts";
import { run } from "./run.ts";
import { sell } from "./sell.ts";
import { set } from "./set.ts";
import { start } from "./start.ts";
import { status } from "./status.ts";
import { stop } from "./stop.ts";
import { strategies } from "./strategies.ts";
import { strategy } from "./strategy.ts";
import { trades } from "./trades.ts";
import { whoami } from "./whoami.ts";

/**
 * Every built-in command, in the order menus and /help list them: what viewers read, then what
 * traders do, then the admins' kill switch and user management.
 */
export const BUILTIN_COMMANDS: readonly Command[] = [
  start,
  help,
  status,
  balance,
  positions,
  orders,
  trades,
  pnl,
  daily,
  performance,
  strategies,
  strategy,
  chart,
  risk,
  plugins,
  notify,
  whoami,
  lang,
  run,
  stop,
  set,
  backtest,
  buy,
  sell,
  close,
  halt,
  reduce,
  resume,
  grant,
  revoke,
];

export { backtestCommand } from "./backtest.ts";
export {
  backtest,
  balance,
  buy,
  chart,
  close,
  daily,
  grant,
  halt,
  help,
  lang,
  notify,
  orders,
  performance,
  plugins,
  pnl,
  positions,
  reduce,
  resume,
  revoke,
  risk,
  run,
  sell,
  set,
  start,
  status,
  stop,
  strategies,
  strategy,
  trades,
  whoami,
};
