import { z } from "zod";
import type { TradingState } from "../../../core/bus/index.ts";
import type { PlainKey } from "../../i18n/index.ts";
import { type Command, defineCommand } from "../define.ts";
import { textReply } from "../reply.ts";

const MAX_REASON = 500;

/**
 * A kill-switch command: asks for confirmation, then sets the trading state through core with the
 * caller as the one who switched it. /halt, /reduce and /resume differ only in the state and words.
 * @example export const halt = killSwitchCommand({ name: "halt", state: "HALTED", … })
 */
export function killSwitchCommand(spec: {
  readonly name: string;
  readonly state: TradingState;
  readonly description: PlainKey;
  readonly usage: PlainKey;
  readonly question: PlainKey;
}): Command {
  return defineCommand({
    name: spec.name,
    description: spec.description,
    usage: spec.usage,
    role: "admin",
    args: z.strictObject({ reason: z.array(z.string()).transform((w) => w.join(" ").slice(0, MAX_REASON)) }),
    rest: "reason",
    audit: true,
    run(ctx, { reason }) {
      if (!ctx.services.setTradingState) return ctx.notAvailable();
      const why = reason || `manual /${spec.name}`;
      return ctx.confirm(
        ctx.t(spec.question),
        async (confirmed) => {
          const change = await confirmed.services.setTradingState!(spec.state, why, confirmed.actor);
          const state = confirmed.t(`trading.${change.state}`);
          return textReply(confirmed.t(change.changed ? "killswitch.done" : "killswitch.unchanged", { state }));
        },
        { state: spec.state, reason: why },
      );
    },
  });
}
