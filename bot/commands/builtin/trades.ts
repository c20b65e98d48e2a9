import { z } from "zod";
import { formatNumber } from "../../i18n/index.ts";
import { defineCommand } from "../define.ts";
import { reply, table, textReply, title } from "../reply.ts";
import { price, shortTime } from "./format.ts";

/** /trades [n]: the latest n fills, newest first (10 by default, at most 50). */
export const trades = defineCommand({
  name: "trades",
  description: "cmd.trades.description",
  usage: "cmd.trades.usage",
  role: "viewer",
  args: z.strictObject({ count: z.coerce.number().int().min(1).max(50).optional() }),
  positional: ["count"],
  async run(ctx, { count = 10 }) {
    if (!ctx.services.trades) return ctx.notAvailable();
    const { t, language } = ctx;
    const fills = await ctx.services.trades(count);
    if (fills.length === 0) return textReply(t("trades.none"));
    return reply(
      title(t("trades.title", { count: fills.length })),
      table(
        [
          t("col.time"),
          t("col.strategy"),
          t("col.symbol"),
          t("col.side"),
          t("col.amount"),
          t("col.price"),
          t("col.fee"),
        ],
        fills.map((f) => [
          shortTime(f.time),
          f.strategyId,
          f.symbol,
          t(f.side === "buy" ? "side.buy" : "side.sell"),
          formatNumber(f.amount, language),
          price(f.price, language),
          `${formatNumber(f.fee, language, 4)} ${f.feeCurrency}`,
        ]),
      ),
    );
  },
});
