import { formatNumber, formatSigned, formatTime } from "../../i18n/index.ts";
import type { CommandContext } from "../context.ts";
import { defineCommand } from "../define.ts";
import { commandButton, type Reply, type ReplyBlock, reply, table, text, title, withButtons } from "../reply.ts";
import type { EngineStatusView } from "../services.ts";

/** /status: engine, feed, trading state, strategies and open positions, with a Refresh button. */
export const status = defineCommand({
  name: "status",
  description: "cmd.status.description",
  usage: "cmd.status.usage",
  role: "viewer",
  async run(ctx) {
    const view = await ctx.services.status();
    return withButtons(render(ctx, view), [commandButton(ctx.t("button.refresh"), "/status")]);
  },
});

function render(ctx: CommandContext, view: EngineStatusView): Reply {
  const { t, language } = ctx;
  const engineState = t(`engine.${view.engine.state}`);
  const trading = t(`trading.${view.trading.state}`);
  const lines = [
    view.engine.startedAt === undefined
      ? t("status.engine", { state: engineState })
      : t("status.engineSince", { state: engineState, time: formatTime(view.engine.startedAt) }),
    t("status.feed", {
      kind: t(`feed.${view.feed.kind}`),
      series: formatNumber(view.feed.series, language),
      published: formatNumber(view.feed.published, language),
    }),
    view.trading.reason !== undefined && view.trading.changedBy !== undefined
      ? t("status.tradingWhy", { state: trading, reason: view.trading.reason, by: view.trading.changedBy })
      : t("status.trading", { state: trading }),
  ];
  const blocks: ReplyBlock[] = [title(t("status.title")), text(lines.join("\n"))];

  if (view.strategies.length === 0) blocks.push(text(t("status.noStrategies")));
  else {
    blocks.push(text(t("status.strategies"), "title"));
    blocks.push(
      table(
        [t("col.strategy"), t("col.plugin"), t("col.state"), t("col.pnl")],
        view.strategies.map((s) => [
          s.id,
          s.pluginId,
          t(`strategy.${s.state}`),
          s.pnl === undefined ? "-" : formatSigned(s.pnl, language),
        ]),
      ),
    );
  }

  if (view.positions.length === 0) blocks.push(text(t("status.noPositions")));
  else {
    blocks.push(text(t("status.positions"), "title"));
    blocks.push(
      table(
        [t("col.strategy"), t("col.symbol"), t("col.quantity"), t("col.entry"), t("col.unrealized")],
        view.positions.map((p) => [
          p.strategyId,
          p.symbol,
          formatNumber(p.quantity, language),
          formatNumber(p.entryPrice, language),
          p.unrealizedPnl === undefined ? "-" : formatSigned(p.unrealizedPnl, language),
        ]),
      ),
    );
  }
  return reply(...blocks);
}
