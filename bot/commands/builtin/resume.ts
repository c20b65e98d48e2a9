import { killSwitchCommand } from "./kill-switch.ts";

/** /resume [reason]: back to normal trading. */
export const resume = killSwitchCommand({
  name: "resume",
  state: "ACTIVE",
  description: "cmd.resume.description",
  usage: "cmd.resume.usage",
  question: "resume.question",
});
