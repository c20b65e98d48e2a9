import { z } from "zod";
import { formatNumber } from "../../i18n/index.ts";
import type { CommandContext } from "../context.ts";
import { defineCommand } from "../define.ts";
import { textReply } from "../reply.ts";
import type { PositionView } from "../services.ts";
import { outcomeLine } from "./order-outcome.ts";

/** More positions than this in one /close is a question nobody reads to the end: the list is cut. */
const LISTED = 20;

/**
 * /close <position|all>: closes open positions at the market after a confirmation. A position is named
 * "<strategy>:<symbol>" (sma-btc:BTC/USDT), or by its symbol alone (every strategy's position in it),
 * or "all". Each exit is reduce-only and goes through the risk manager under the strategy's own
 * limits, so it works in REDUCING; HALTED stops it like any order. Audited when confirmed.
 */
export const close = defineCommand({
  name: "close",
  description: "cmd.close.description",
  usage: "cmd.close.usage",
  role: "trader",
  args: z.strictObject({ target: z.string().min(1).max(100) }),
  positional: ["target"],
  audit: true,
  async run(ctx, { target }) {
    const { findPositions, closePosition } = ctx.services;
    if (!findPositions || !closePosition) return ctx.notAvailable();
    const { t, language } = ctx;
    const found = await findPositions.call(ctx.services, target);
    if (found.length === 0) return textReply(t("close.none", { target }));
    const lines = found
      .slice(0, LISTED)
      .map((p) => `${p.strategyId}:${p.symbol} ${formatNumber(p.quantity, language)} (${p.accountId})`);
    if (found.length > LISTED) lines.push(t("close.more", { count: found.length - LISTED }));
    const keys = found.map((p) => ({ accountId: p.accountId, strategyId: p.strategyId, symbol: p.symbol }));
    return ctx.confirm(
      t("close.question", { count: found.length, positions: lines.join("\n") }),
      (confirmed) => closeAll(confirmed, found),
      { target, positions: keys },
    );
  },
});

async function closeAll(ctx: CommandContext, positions: readonly PositionView[]) {
  const lines: string[] = [];
  for (const p of positions) {
    const outcome = await ctx.services.closePosition!(p, ctx.actor);
    lines.push(
      outcome
        ? `${p.strategyId}: ${outcomeLine(ctx, outcome)}`
        : ctx.t("close.alreadyFlat", { position: `${p.strategyId}:${p.symbol}` }),
    );
  }
  return textReply(lines.join("\n"));
}
