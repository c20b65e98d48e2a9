import { z } from "zod";
import { formatNumber, formatSigned, formatTime } from "../../i18n/index.ts";
import { defineCommand } from "../define.ts";
import { image, type ReplyBlock, reply, text, textReply, title } from "../reply.ts";
import { PNL_PERIODS } from "../views.ts";
import { money, pct, signedPct } from "./format.ts";

/** /pnl [day|week|month|all]: equity change, drawdown, fills and fees over the period, and an equity chart. */
export const pnl = defineCommand({
  name: "pnl",
  description: "cmd.pnl.description",
  usage: "cmd.pnl.usage",
  role: "viewer",
  args: z.strictObject({ period: z.string().toLowerCase().pipe(z.enum(PNL_PERIODS)).optional() }),
  positional: ["period"],
  async run(ctx, { period = "day" }) {
    if (!ctx.services.pnl) return ctx.notAvailable();
    const { t, language } = ctx;
    const view = await ctx.services.pnl(period);
    const periodName = t(`pnl.period.${period}`);
    if (view.accounts.length === 0) return textReply(t("pnl.none"));
    const blocks: ReplyBlock[] = [title(t("pnl.title", { period: periodName }))];
    for (const a of view.accounts) {
      if (a.from === undefined || a.to === undefined) {
        blocks.push(text(t("pnl.noData", { account: a.accountId })));
        continue;
      }
      blocks.push(
        text(
          [
            t("pnl.account", { account: a.accountId, from: formatTime(a.from), to: formatTime(a.to) }),
            t("pnl.equity", {
              start: money(a.startEquity, a.quote, language),
              end: money(a.endEquity, a.quote, language),
            }),
            t("pnl.change", {
              pnl: `${formatSigned(a.pnl, language)} ${a.quote}`,
              pct: signedPct(a.pnlPct, language),
            }),
            t("pnl.drawdown", { pct: pct(a.maxDrawdownPct, language) }),
            t("pnl.fills", { fills: formatNumber(a.fills, language), fees: money(a.fees, a.quote, language) }),
          ].join("\n"),
        ),
      );
      if (a.chart) {
        blocks.push(
          image(a.chart.png, {
            filename: `equity-${a.accountId}-${period}.png`,
            caption: t("pnl.caption", { account: a.accountId, period: periodName }),
          }),
        );
      }
    }
    return reply(...blocks);
  },
});
