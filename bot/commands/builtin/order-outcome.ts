import { formatNumber } from "../../i18n/index.ts";
import type { CommandContext } from "../context.ts";
import { type Reply, textReply } from "../reply.ts";
import type { OrderOutcomeView } from "../services.ts";
import { price } from "./format.ts";

/**
 * What became of a manual order or a close, in one paragraph: filled (at what price), refused by the
 * risk manager (and why), or refused by the executor or exchange. A resize says so with its reason.
 * @example outcomeReply(ctx, outcome) // "BUY 0.01 BTC/USDT filled at 50,010 (order filled). Risk: approved."
 */
export function outcomeReply(ctx: CommandContext, o: OrderOutcomeView): Reply {
  return textReply(outcomeLine(ctx, o));
}

/**
 * The paragraph of outcomeReply, for replies that list several outcomes (/close all).
 * @example outcomeLine(ctx, outcome) // "SELL BTC/USDT was not sent: the risk manager refused it (trading state HALTED: ...)."
 */
export function outcomeLine(ctx: CommandContext, o: OrderOutcomeView): string {
  const { t, language } = ctx;
  const side = t(o.side === "buy" ? "side.buy" : "side.sell");
  const reasons = o.reasons.length > 0 ? o.reasons.join("; ") : "-";
  if (o.decision === "reject") return t("order.rejected", { side, symbol: o.symbol, reasons });
  if (o.filled > 0) {
    const line = t("order.filled", {
      side,
      amount: formatNumber(o.filled, language),
      symbol: o.symbol,
      price: o.averagePrice === undefined ? "-" : price(o.averagePrice, language),
      status: o.status ?? "-",
    });
    return o.decision === "resize" ? `${line}\n${t("order.resized", { reasons })}` : line;
  }
  return t("order.notFilled", { side, symbol: o.symbol, status: o.status ?? "-", problem: o.problem ?? reasons });
}
