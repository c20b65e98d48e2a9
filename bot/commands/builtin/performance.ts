import { formatNumber, formatSigned } from "../../i18n/index.ts";
import type { CommandContext } from "../context.ts";
import { defineCommand } from "../define.ts";
import { reply, table, text, textReply, title } from "../reply.ts";
import type { PerformanceRow } from "../services.ts";

/** /performance: realised and unrealised PnL, fees and fills by strategy and by symbol, best first. */
export const performance = defineCommand({
  name: "performance",
  description: "cmd.performance.description",
  usage: "cmd.performance.usage",
  role: "viewer",
  async run(ctx) {
    if (!ctx.services.performance) return ctx.notAvailable();
    const { t } = ctx;
    const view = await ctx.services.performance();
    if (view.byStrategy.length === 0) return textReply(t("performance.none"));
    return reply(
      title(t("performance.title")),
      text(t("performance.byStrategy"), "title"),
      rows(ctx, t("col.strategy"), view.byStrategy),
      text(t("performance.bySymbol"), "title"),
      rows(ctx, t("col.symbol"), view.bySymbol),
    );
  },
});

function rows(ctx: CommandContext, first: string, list: readonly PerformanceRow[]) {
  const { t, language } = ctx;
  return table(
    [first, t("col.realized"), t("col.unrealized"), t("col.fees"), t("col.fills")],
    list.map((r) => [
      r.key,
      formatSigned(r.realizedPnl, language),
      formatSigned(r.unrealizedPnl, language),
      formatNumber(r.fees, language, 2),
      formatNumber(r.fills, language),
    ]),
  );
}
