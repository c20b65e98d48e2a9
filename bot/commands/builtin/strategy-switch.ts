import { z } from "zod";
import type { PlainKey } from "../../i18n/index.ts";
import { type Command, defineCommand } from "../define.ts";
import { textReply } from "../reply.ts";
import { strategyIdSchema } from "./strategy-id.ts";

/**
 * /run and /stop: start or stop feeding candles to a strategy instance. No confirmation: neither opens
 * nor closes a position (a stopped strategy's positions stay, under their stops), and the other
 * command undoes it. Audited.
 * @example export const run = strategySwitchCommand({ name: "run", enabled: true, … })
 */
export function strategySwitchCommand(spec: {
  readonly name: "run" | "stop";
  readonly enabled: boolean;
  readonly description: PlainKey;
  readonly usage: PlainKey;
}): Command {
  return defineCommand({
    name: spec.name,
    description: spec.description,
    usage: spec.usage,
    role: "trader",
    args: z.strictObject({ id: strategyIdSchema }),
    positional: ["id"],
    audit: true,
    async run(ctx, { id }) {
      const call = spec.enabled ? ctx.services.runStrategy : ctx.services.stopStrategy;
      if (!call) return ctx.notAvailable();
      const result = await call.call(ctx.services, id, ctx.actor);
      const { t } = ctx;
      if (result.kind === "unknown") return textReply(t("detail.notLoaded", { id }));
      if (!result.changed) return textReply(t(spec.enabled ? "run.already" : "stop.already", { id }));
      return textReply(t(spec.enabled ? "run.done" : "stop.done", { id }));
    },
  });
}
