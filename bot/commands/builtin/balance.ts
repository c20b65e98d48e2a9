import { formatNumber } from "../../i18n/index.ts";
import { defineCommand } from "../define.ts";
import { type ReplyBlock, reply, table, text, textReply, title } from "../reply.ts";
import { money } from "./format.ts";

/** /balance: each account's equity and cash, and the balance of every currency it holds. */
export const balance = defineCommand({
  name: "balance",
  description: "cmd.balance.description",
  usage: "cmd.balance.usage",
  role: "viewer",
  async run(ctx) {
    if (!ctx.services.balances) return ctx.notAvailable();
    const { t, language } = ctx;
    const accounts = await ctx.services.balances();
    if (accounts.length === 0) return textReply(t("balance.none"));
    const blocks: ReplyBlock[] = [title(t("balance.title"))];
    for (const a of accounts) {
      blocks.push(
        text(
          t("balance.account", {
            account: a.accountId,
            exchange: a.exchange,
            mode: a.mode,
            equity: money(a.equity, a.quote, language),
            cash: money(a.cash, a.quote, language),
            peak: money(a.peakEquity, a.quote, language),
          }),
        ),
      );
      if (a.currencies.length > 0) {
        blocks.push(
          table(
            [t("col.currency"), t("col.free"), t("col.used")],
            a.currencies.map((c) => [c.currency, formatNumber(c.free, language), formatNumber(c.used, language)]),
          ),
        );
      }
    }
    return reply(...blocks);
  },
});
