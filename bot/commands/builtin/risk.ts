import { formatNumber } from "../../i18n/index.ts";
import type { CommandContext } from "../context.ts";
import { defineCommand } from "../define.ts";
import { type ReplyBlock, reply, table, text, textReply, title } from "../reply.ts";
import type { RiskAccountView } from "../services.ts";
import { pct } from "./format.ts";

/** /risk: each account's trading state, its limits and how much of each is used now. */
export const risk = defineCommand({
  name: "risk",
  description: "cmd.risk.description",
  usage: "cmd.risk.usage",
  role: "viewer",
  async run(ctx) {
    if (!ctx.services.risk) return ctx.notAvailable();
    const view = await ctx.services.risk();
    if (view.accounts.length === 0) return textReply(ctx.t("risk.none"));
    return reply(title(ctx.t("risk.title")), ...view.accounts.flatMap((a) => account(ctx, a)));
  },
});

function account(ctx: CommandContext, a: RiskAccountView): ReplyBlock[] {
  const { t, language } = ctx;
  const state = (["ACTIVE", "REDUCING", "HALTED"] as const).find((s) => s === a.state);
  const stateName = state ? t(`trading.${state}`) : a.state;
  const heading =
    a.stateReason !== undefined && a.stateBy !== undefined
      ? t("risk.accountWhy", { account: a.accountId, state: stateName, reason: a.stateReason, by: a.stateBy })
      : t("risk.account", { account: a.accountId, state: stateName });
  const limits = a.limits;
  // One row per limit: what is used now, the limit, and the share of it used (a 5% daily loss limit
  // with 1% lost reads "20%").
  const row = (label: string, now: number, max: number | undefined, show: (v: number) => string) => [
    label,
    show(now),
    max === undefined ? "-" : show(max),
    max === undefined || !(max > 0) ? "-" : pct((now / max) * 100, language, 0),
  ];
  const percent = (v: number) => pct(v, language);
  const count = (v: number) => formatNumber(v, language);
  const rows = [
    row(t("risk.dailyLoss"), a.dailyLossPct, limits?.dailyLossLimitPct, percent),
    row(t("risk.drawdown"), a.drawdownPct, limits?.maxDrawdownPct, percent),
    row(t("risk.exposure"), a.exposurePct, limits?.maxExposurePct, percent),
    row(t("risk.largest"), a.largestPositionPct, limits?.maxPositionPct, percent),
    row(t("risk.positions"), a.openPositions, limits?.maxOpenPositions, count),
  ];
  const blocks: ReplyBlock[] = [
    text(heading, "title"),
    table([t("col.limit"), t("col.now"), t("col.max"), t("col.used")], rows),
    text(
      t("risk.equity", {
        equity: formatNumber(a.equity, language, 2),
        dayStart: formatNumber(a.dayStartEquity, language, 2),
        peak: formatNumber(a.peakEquity, language, 2),
      }),
    ),
  ];
  if (!limits) blocks.push(text(t("risk.noLimits")));
  else if (limits.cooldownAfterStopMinutes > 0) {
    blocks.push(text(t("risk.cooldown", { minutes: formatNumber(limits.cooldownAfterStopMinutes, language) })));
  }
  return blocks;
}
