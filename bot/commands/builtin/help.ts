import { defineCommand } from "../define.ts";
import { reply } from "../reply.ts";
import { helpBlocks } from "./help-text.ts";

/** /help: the commands the caller's role allows. */
export const help = defineCommand({
  name: "help",
  description: "cmd.help.description",
  usage: "cmd.help.usage",
  role: "viewer",
  run: (ctx) => reply(...helpBlocks(ctx)),
});
