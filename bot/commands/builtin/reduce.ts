import { killSwitchCommand } from "./kill-switch.ts";

/** /reduce [reason]: only orders that shrink positions. */
export const reduce = killSwitchCommand({
  name: "reduce",
  state: "REDUCING",
  description: "cmd.reduce.description",
  usage: "cmd.reduce.usage",
  question: "reduce.question",
});
