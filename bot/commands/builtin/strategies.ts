import { formatSigned } from "../../i18n/index.ts";
import { defineCommand } from "../define.ts";
import { reply, table, textReply, title } from "../reply.ts";
import { strategyState } from "./strategy-state.ts";

/** /strategies: every strategy instance with its plugin, state, symbols, timeframe and PnL. */
export const strategies = defineCommand({
  name: "strategies",
  description: "cmd.strategies.description",
  usage: "cmd.strategies.usage",
  role: "viewer",
  async run(ctx) {
    if (!ctx.services.strategies) return ctx.notAvailable();
    const { t, language } = ctx;
    const list = await ctx.services.strategies();
    if (list.length === 0) return textReply(t("strategies.none"));
    return reply(
      title(t("strategies.title")),
      table(
        [t("col.strategy"), t("col.plugin"), t("col.state"), t("col.symbols"), t("col.timeframe"), t("col.pnl")],
        list.map((s) => [
          s.id,
          s.pluginId,
          strategyState(t, s.state),
          s.symbols.join(","),
          s.timeframe,
          s.pnl === undefined ? "-" : formatSigned(s.pnl, language),
        ]),
        ["left", "left", "left", "left", "left", "right"],
      ),
    );
  },
});
