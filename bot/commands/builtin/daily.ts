import { z } from "zod";
import { formatSigned } from "../../i18n/index.ts";
import { defineCommand } from "../define.ts";
import { image, type ReplyBlock, reply, table, text, textReply, title } from "../reply.ts";
import { money, signedPct } from "./format.ts";

/** /daily [n]: PnL of the last n UTC days (7 by default, at most 90) as a table and a bar chart. */
export const daily = defineCommand({
  name: "daily",
  description: "cmd.daily.description",
  usage: "cmd.daily.usage",
  role: "viewer",
  args: z.strictObject({ days: z.coerce.number().int().min(1).max(90).optional() }),
  positional: ["days"],
  async run(ctx, { days = 7 }) {
    if (!ctx.services.daily) return ctx.notAvailable();
    const { t, language } = ctx;
    const accounts = await ctx.services.daily(days);
    if (accounts.length === 0) return textReply(t("pnl.none"));
    const blocks: ReplyBlock[] = [title(t("daily.title", { days }))];
    for (const a of accounts) {
      if (a.days.length === 0) {
        blocks.push(text(t("pnl.noData", { account: a.accountId })));
        continue;
      }
      const total = a.days.reduce((sum, d) => sum + d.pnl, 0);
      blocks.push(
        text(t("daily.account", { account: a.accountId, total: `${formatSigned(total, language)} ${a.quote}` })),
        table(
          [t("col.day"), t("col.pnl"), t("col.pct"), t("col.equity")],
          a.days.map((d) => [
            d.day,
            formatSigned(d.pnl, language),
            signedPct(d.pnlPct, language),
            money(d.closeEquity, a.quote, language),
          ]),
        ),
      );
      if (a.chart) {
        blocks.push(
          image(a.chart.png, {
            filename: `daily-${a.accountId}.png`,
            caption: t("daily.caption", { account: a.accountId, days: a.days.length }),
          }),
        );
      }
    }
    return reply(...blocks);
  },
});
