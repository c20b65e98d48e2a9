import { z } from "zod";
import { formatNumber, formatSigned } from "../../i18n/index.ts";
import type { CommandContext } from "../context.ts";
import { defineCommand } from "../define.ts";
import {
  type Button,
  commandButton,
  MAX_BUTTON_LINE_BYTES,
  type ReplyBlock,
  reply,
  table,
  text,
  textReply,
  title,
  withButtons,
} from "../reply.ts";
import type { StrategyDetailView } from "../services.ts";
import { shortTime } from "./format.ts";
import { strategyIdSchema } from "./strategy-id.ts";
import { strategyState } from "./strategy-state.ts";

/** /strategy <id>: params (and values waiting for a restart), allocation, risk override, last verdicts. */
export const strategy = defineCommand({
  name: "strategy",
  description: "cmd.strategy.description",
  usage: "cmd.strategy.usage",
  role: "viewer",
  args: z.strictObject({ id: strategyIdSchema }),
  positional: ["id"],
  async run(ctx, { id }) {
    if (!ctx.services.strategy) return ctx.notAvailable();
    const view = await ctx.services.strategy(id);
    if (!view) return textReply(ctx.t("detail.unknown", { id }));
    const buttons = controlButtons(ctx, view);
    const shown = reply(...describe(ctx, view));
    return buttons.length > 0 ? withButtons(shown, ...buttons) : shown;
  },
});

function describe(ctx: CommandContext, v: StrategyDetailView): ReplyBlock[] {
  const { t, language } = ctx;
  const state = strategyState(t, v.state);
  const allocation =
    "pct" in v.allocation
      ? t("detail.allocationPct", { pct: formatNumber(v.allocation.pct, language) })
      : t("detail.allocationQuote", { amount: formatNumber(v.allocation.quote, language) });
  const lines = [
    t("detail.plugin", { plugin: `${v.pluginId} ${v.pluginVersion ?? ""}`.trim(), account: v.accountId }),
    v.stateReason === undefined ? t("detail.state", { state }) : t("detail.stateWhy", { state, reason: v.stateReason }),
    t("detail.market", { symbols: v.symbols.join(", "), timeframe: v.timeframe }),
    allocation,
    t("detail.pnl", { pnl: v.pnl === undefined ? "-" : formatSigned(v.pnl, language) }),
  ];
  const blocks: ReplyBlock[] = [title(t("detail.title", { id: v.id })), text(lines.join("\n"))];
  if (v.params.length > 0) {
    blocks.push(
      text(t("detail.params"), "title"),
      table(
        [t("col.param"), t("col.value"), t("col.afterRestart")],
        v.params.map((p) => [p.name, String(p.value), p.pending === undefined ? "" : String(p.pending)]),
        ["left", "left", "left"],
      ),
    );
  }
  blocks.push(text(t("detail.risk"), "title"));
  if (v.risk.length === 0) blocks.push(text(t("detail.riskNone")));
  else
    blocks.push(
      table(
        [t("col.limit"), t("col.value")],
        v.risk.map((r) => [r.name, r.value]),
        ["left", "left"],
      ),
    );
  blocks.push(text(t("detail.verdicts"), "title"));
  if (v.verdicts.length === 0) blocks.push(text(t("detail.verdictsNone")));
  else {
    blocks.push(
      table(
        [t("col.time"), t("col.side"), t("col.symbol"), t("col.decision"), t("col.amount")],
        v.verdicts.map((d) => [
          shortTime(d.time),
          t(d.side === "buy" ? "side.buy" : "side.sell"),
          d.symbol,
          t(`decision.${d.decision}`),
          formatNumber(d.amount, language),
        ]),
      ),
    );
    const reasons = v.verdicts
      .filter((d) => d.reasons.length > 0)
      .map((d) => `${shortTime(d.time)}: ${d.reasons.join("; ")}`);
    if (reasons.length > 0) blocks.push(text(reasons.join("\n")));
  }
  return blocks;
}

/** Stop (or Run) and Refresh; a button whose command would not fit Telegram's callback data is left out. */
function controlButtons(ctx: CommandContext, v: StrategyDetailView): Button[][] {
  const running = v.state === "running";
  const lines: [string, string][] = [
    [ctx.t(running ? "button.stop" : "button.run"), `/${running ? "stop" : "run"} ${v.id}`],
    [ctx.t("button.refresh"), `/strategy ${v.id}`],
  ];
  const fits = lines.filter(([, line]) => Buffer.byteLength(line) <= MAX_BUTTON_LINE_BYTES);
  return fits.length === 0 ? [] : [fits.map(([label, line]) => commandButton(label, line))];
}
