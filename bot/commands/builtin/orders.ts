import { z } from "zod";
import { formatNumber } from "../../i18n/index.ts";
import type { CommandContext } from "../context.ts";
import { defineCommand } from "../define.ts";
import { type ReplyBlock, reply, table, text, title } from "../reply.ts";
import type { OrderView } from "../services.ts";
import { price, shortTime } from "./format.ts";

/** /orders [n]: orders still working at the exchange, and the n latest of any state (5 by default). */
export const orders = defineCommand({
  name: "orders",
  description: "cmd.orders.description",
  usage: "cmd.orders.usage",
  role: "viewer",
  args: z.strictObject({ count: z.coerce.number().int().min(1).max(50).optional() }),
  positional: ["count"],
  async run(ctx, { count = 5 }) {
    if (!ctx.services.orders) return ctx.notAvailable();
    const { t } = ctx;
    const view = await ctx.services.orders(count);
    const blocks: ReplyBlock[] = [title(t("orders.title"))];
    if (view.open.length === 0) blocks.push(text(t("orders.noneOpen")));
    else blocks.push(text(t("orders.open"), "title"), orderTable(ctx, view.open));
    if (view.recent.length === 0) blocks.push(text(t("orders.noneRecent")));
    else blocks.push(text(t("orders.recent"), "title"), orderTable(ctx, view.recent));
    return reply(...blocks);
  },
});

function orderTable(ctx: CommandContext, list: readonly OrderView[]) {
  const { t, language } = ctx;
  return table(
    [
      t("col.time"),
      t("col.strategy"),
      t("col.symbol"),
      t("col.side"),
      t("col.amount"),
      t("col.price"),
      t("col.status"),
    ],
    list.map((o) => {
      const at = o.averagePrice ?? o.price;
      const amount =
        o.filled > 0 && o.filled < o.amount
          ? `${formatNumber(o.filled, language)}/${formatNumber(o.amount, language)}`
          : formatNumber(o.amount, language);
      return [
        shortTime(o.createdAt),
        o.strategyId,
        o.symbol,
        t(o.side === "buy" ? "side.buy" : "side.sell"),
        amount,
        at === undefined ? "-" : price(at, language),
        o.status,
      ];
    }),
  );
}
