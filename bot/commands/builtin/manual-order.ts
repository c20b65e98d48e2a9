import { z } from "zod";
import type { Side } from "../../../core/domain/index.ts";
import { formatNumber } from "../../i18n/index.ts";
import type { CommandContext } from "../context.ts";
import { type Command, defineCommand } from "../define.ts";
import { textReply } from "../reply.ts";
import type { OrderTicket } from "../services.ts";
import { money, price } from "./format.ts";
import { amountSchema, symbolSchema } from "./market-args.ts";
import { outcomeReply } from "./order-outcome.ts";

/**
 * /buy and /sell <symbol> <amount> [account=<id>]: a manual market order. The question shows the price
 * it would go at and what it costs; on Confirm the order goes through the risk manager (which may
 * resize or reject it, and which the kill switch stops) as strategy "manual", and the reply says what
 * happened. Audited when confirmed.
 * @example export const buy = manualOrderCommand({ side: "buy", … })
 */
export function manualOrderCommand(spec: {
  readonly side: Side;
  readonly description: "cmd.buy.description" | "cmd.sell.description";
  readonly usage: "cmd.buy.usage" | "cmd.sell.usage";
}): Command {
  return defineCommand({
    name: spec.side,
    description: spec.description,
    usage: spec.usage,
    role: "trader",
    args: z.strictObject({
      symbol: symbolSchema,
      amount: amountSchema,
      account: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/)
        .optional(),
    }),
    positional: ["symbol", "amount"],
    audit: true,
    async run(ctx, args) {
      const { quoteOrder, placeOrder } = ctx.services;
      if (!quoteOrder || !placeOrder) return ctx.notAvailable();
      const ticket: OrderTicket = {
        side: spec.side,
        symbol: args.symbol,
        amount: args.amount,
        ...(args.account !== undefined && { accountId: args.account }),
      };
      const quote = await quoteOrder.call(ctx.services, ticket);
      const { t, language } = ctx;
      if (quote.kind === "no-account")
        return textReply(t("order.whichAccount", { accounts: quote.accounts.join(", ") }));
      if (quote.kind === "no-price") return textReply(t("order.noPrice", { symbol: quote.symbol }));
      const question = t(spec.side === "buy" ? "order.confirmBuy" : "order.confirmSell", {
        amount: formatNumber(ticket.amount, language),
        symbol: ticket.symbol,
        price: price(quote.price, language),
        notional: money(quote.notional, quote.quote, language),
        account: quote.accountId,
      });
      return ctx.confirm(question, (confirmed) => place(confirmed, { ...ticket, accountId: quote.accountId }), ticket);
    },
  });
}

async function place(ctx: CommandContext, ticket: OrderTicket) {
  const outcome = await ctx.services.placeOrder!(ticket, ctx.actor);
  if (!outcome) return textReply(ctx.t("order.noPrice", { symbol: ticket.symbol }));
  return outcomeReply(ctx, outcome);
}
