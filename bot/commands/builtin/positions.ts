import { formatNumber, formatSigned } from "../../i18n/index.ts";
import type { CommandContext } from "../context.ts";
import { defineCommand } from "../define.ts";
import { commandButton, type ReplyBlock, reply, table, text, textReply, title, withButtons } from "../reply.ts";
import type { PositionView } from "../services.ts";
import { price } from "./format.ts";

/** /positions: every open position with its mark, unrealised PnL and stops; Refresh and Close all buttons. */
export const positions = defineCommand({
  name: "positions",
  description: "cmd.positions.description",
  usage: "cmd.positions.usage",
  role: "viewer",
  async run(ctx) {
    if (!ctx.services.positions) return ctx.notAvailable();
    const { t } = ctx;
    const open = await ctx.services.positions();
    const refresh = commandButton(t("button.refresh"), "/positions");
    if (open.length === 0) return withButtons(textReply(t("positions.none")), [refresh]);
    const blocks: ReplyBlock[] = [title(t("positions.title")), positionTable(ctx, open)];
    const stops = open.flatMap((p) => stopLine(ctx, p) ?? []);
    if (stops.length > 0) blocks.push(text(stops.join("\n")));
    // Anyone may press it; /close asks the presser to confirm and checks their role like a typed one.
    return withButtons(reply(...blocks), [refresh, commandButton(t("button.closeAll"), "/close all")]);
  },
});

/**
 * Open positions as a table: strategy, symbol, quantity, entry, last price, unrealised PnL.
 * @example positionTable(ctx, await ctx.services.positions!())
 */
export function positionTable(ctx: CommandContext, open: readonly PositionView[]) {
  const { t, language } = ctx;
  return table(
    [t("col.strategy"), t("col.symbol"), t("col.quantity"), t("col.entry"), t("col.last"), t("col.unrealized")],
    open.map((p) => [
      p.strategyId,
      p.symbol,
      formatNumber(p.quantity, language),
      price(p.entryPrice, language),
      p.lastPrice === undefined ? "-" : price(p.lastPrice, language),
      p.unrealizedPnl === undefined ? "-" : formatSigned(p.unrealizedPnl, language),
    ]),
  );
}

function stopLine(ctx: CommandContext, p: PositionView): string | undefined {
  const { t, language } = ctx;
  const parts = [
    p.stopLoss !== undefined && t("positions.stopLoss", { price: price(p.stopLoss, language) }),
    p.takeProfit !== undefined && t("positions.takeProfit", { price: price(p.takeProfit, language) }),
    p.trailingStop !== undefined && t("positions.trailing", { price: price(p.trailingStop, language) }),
  ].filter((s): s is string => typeof s === "string");
  return parts.length === 0 ? undefined : `${p.strategyId} ${p.symbol}: ${parts.join(", ")}`;
}
