import { strategySwitchCommand } from "./strategy-switch.ts";

/** /run <id>: feed candles to a stopped strategy instance again. */
export const run = strategySwitchCommand({
  name: "run",
  enabled: true,
  description: "cmd.run.description",
  usage: "cmd.run.usage",
});
