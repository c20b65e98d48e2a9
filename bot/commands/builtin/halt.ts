import { killSwitchCommand } from "./kill-switch.ts";

/** /halt [reason]: no new orders at all until /resume. */
export const halt = killSwitchCommand({
  name: "halt",
  state: "HALTED",
  description: "cmd.halt.description",
  usage: "cmd.halt.usage",
  question: "halt.question",
});
