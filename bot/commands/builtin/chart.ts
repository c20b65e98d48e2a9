import { z } from "zod";
import { formatNumber, formatTime } from "../../i18n/index.ts";
import { defineCommand } from "../define.ts";
import { image, reply, textReply } from "../reply.ts";
import { price } from "./format.ts";
import { symbolSchema, timeframeSchema } from "./market-args.ts";

/** /chart <symbol> [timeframe]: the latest candles of a stored series with our entries and exits. */
export const chart = defineCommand({
  name: "chart",
  description: "cmd.chart.description",
  usage: "cmd.chart.usage",
  role: "viewer",
  args: z.strictObject({ symbol: symbolSchema, timeframe: timeframeSchema.optional() }),
  positional: ["symbol", "timeframe"],
  async run(ctx, { symbol, timeframe }) {
    if (!ctx.services.marketChart) return ctx.notAvailable();
    const { t, language } = ctx;
    const view = await ctx.services.marketChart(symbol, timeframe);
    if (view.kind === "no-data") {
      return textReply(t("chart.noData", { symbol: view.symbol, timeframe: view.timeframe }));
    }
    const caption = t("chart.caption", {
      symbol: view.symbol,
      timeframe: view.timeframe,
      exchange: view.exchange,
      candles: formatNumber(view.candles, language),
      to: formatTime(view.last),
      close: price(view.lastClose, language),
      entries: formatNumber(view.entries, language),
      exits: formatNumber(view.exits, language),
    });
    if (!view.chart) return textReply(caption);
    return reply(image(view.chart.png, { filename: `chart-${view.symbol.replace(/\W/g, "-")}.png`, caption }));
  },
});
