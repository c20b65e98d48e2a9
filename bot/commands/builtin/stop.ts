import { strategySwitchCommand } from "./strategy-switch.ts";

/** /stop <id>: stop feeding candles to a strategy instance; its positions stay open. */
export const stop = strategySwitchCommand({
  name: "stop",
  enabled: false,
  description: "cmd.stop.description",
  usage: "cmd.stop.usage",
});
