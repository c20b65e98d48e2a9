import { z } from "zod";
import { formatNumber, formatTime } from "../../i18n/index.ts";
import type { CommandContext, ProgressHandle } from "../context.ts";
import { type Command, defineCommand } from "../define.ts";
import { image, type Reply, reply, text, textReply, title } from "../reply.ts";
import type { BacktestRequest, BacktestView } from "../services.ts";
import { parsePeriod } from "./backtest-period.ts";
import { pct, signedPct } from "./format.ts";
import { symbolSchema, timeframeSchema } from "./market-args.ts";

/** What /backtest runs over when no period is given: long enough to trade, short enough to be quick. */
const DEFAULT_PERIOD = "90d";

const argsSchema = z
  .object({
    plugin: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    symbol: symbolSchema,
    timeframe: timeframeSchema,
    period: z.string().optional(),
  })
  // Every other key=value pair is a plugin param; the backtest checks them against the manifest.
  .catchall(z.string().max(200));

/**
 * /backtest <plugin> <symbol> <timeframe> [period] [param=value ...]: runs the backtester on stored
 * candles and answers with the headline metrics and the backtest chart. A run that takes longer than
 * `progressAfterMs` gets a message that is edited as it goes ("Backtest … 40%"), so a long run is
 * visibly alive; a quick one is not worth two messages.
 * @example export const backtest = backtestCommand({ progressAfterMs: 2_000 })
 */
export function backtestCommand(options: { readonly progressAfterMs: number }): Command {
  return defineCommand({
    name: "backtest",
    description: "cmd.backtest.description",
    usage: "cmd.backtest.usage",
    role: "trader",
    args: argsSchema,
    positional: ["plugin", "symbol", "timeframe", "period"],
    audit: true,
    async run(ctx, args) {
      if (!ctx.services.backtest) return ctx.notAvailable();
      const { plugin, symbol, timeframe, period: typed, ...params } = args;
      const period = parsePeriod(typed ?? DEFAULT_PERIOD);
      if (!period) return textReply(ctx.t("backtest.badPeriod", { period: typed ?? "" }));
      const request: BacktestRequest = {
        plugin,
        symbol,
        timeframe,
        params: params as Record<string, string>,
        ...(period.kind === "span" && { span: period.ms }),
        ...(period.kind === "range" && {
          ...(period.from !== undefined && { from: period.from }),
          ...(period.to !== undefined && { to: period.to }),
        }),
      };
      const label = `${plugin} ${symbol} ${timeframe}`;
      const progress = lateProgress(ctx, options.progressAfterMs, label);
      try {
        const view = await ctx.services.backtest(request, progress.update);
        await progress.finish(
          view.kind === "done"
            ? ctx.t("backtest.progressDone", { label })
            : ctx.t("backtest.progressFailed", { label }),
        );
        return render(ctx, view);
      } catch (error) {
        await progress.finish(ctx.t("backtest.progressFailed", { label }));
        throw error;
      }
    },
  });
}

/** The /backtest every bot registers: progress after two seconds. */
export const backtest = backtestCommand({ progressAfterMs: 2_000 });

/**
 * A progress message that appears only once the work has taken `afterMs`, then follows the percentage.
 * Updates before it appears are remembered, so it opens at the current percentage.
 */
function lateProgress(ctx: CommandContext, afterMs: number, label: string) {
  let handle: Promise<ProgressHandle> | undefined;
  let percent = 0;
  let finished = false;
  const line = () => ctx.t("backtest.progress", { label, percent: String(percent) });
  const open = () => {
    if (!finished && !handle) handle = ctx.progress(line());
  };
  const timer = setTimeout(open, afterMs);
  return {
    update: (done: number, total: number) => {
      const next = total > 0 ? Math.floor((done / total) * 100) : 0;
      if (next === percent) return;
      percent = next;
      if (handle) void handle.then((h) => h.update(line())).catch(() => undefined);
    },
    async finish(final: string) {
      finished = true;
      clearTimeout(timer);
      if (handle) await (await handle).done(final);
    },
  };
}

function render(ctx: CommandContext, view: BacktestView): Reply {
  const { t, language } = ctx;
  if (view.kind === "failed") return textReply(t("backtest.failed", { message: view.message }));
  const ratio = (value: number | null) => (value === null ? "-" : formatNumber(value, language, 2));
  const fraction = (value: number | null) => (value === null ? "-" : signedPct(value * 100, language));
  const params = Object.entries(view.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const lines = [
    t("backtest.range", {
      from: formatTime(view.first),
      to: formatTime(view.last),
      candles: formatNumber(view.candles, language),
    }),
    ...(view.missing ?? []).map((s) =>
      s.holes === undefined
        ? t("backtest.missing", { from: formatTime(s.from), to: formatTime(s.to) })
        : t("backtest.missingLongest", {
            from: formatTime(s.from),
            to: formatTime(s.to),
            holes: formatNumber(s.holes, language),
          }),
    ),
    ...(params === "" ? [] : [t("backtest.params", { params })]),
    t("backtest.equity", {
      start: formatNumber(view.startEquity, language, 2),
      end: formatNumber(view.finalEquity, language, 2),
    }),
    t("backtest.return", { total: fraction(view.totalReturn), hold: fraction(view.buyAndHoldReturn) }),
    t("backtest.risk", {
      drawdown: pct(Math.abs(view.maxDrawdown) * 100, language),
      sharpe: ratio(view.sharpe),
      cagr: fraction(view.cagr),
    }),
    t("backtest.trades", {
      trades: formatNumber(view.trades, language),
      winRate: view.winRate === null ? "-" : pct(view.winRate * 100, language, 1),
      profitFactor: ratio(view.profitFactor),
      fees: formatNumber(view.fees, language, 2),
    }),
    ...(view.id === undefined ? [] : [t("backtest.id", { id: view.id.slice(0, 12) })]),
  ];
  const heading = title(
    t("backtest.title", {
      plugin: `${view.plugin} ${view.pluginVersion}`,
      symbol: view.symbol,
      timeframe: view.timeframe,
    }),
  );
  if (!view.chart) return reply(heading, text(lines.join("\n")));
  return reply(
    heading,
    text(lines.join("\n")),
    image(view.chart.png, {
      filename: `backtest-${view.plugin}.png`,
      caption: t("backtest.caption", { plugin: view.plugin, symbol: view.symbol, timeframe: view.timeframe }),
    }),
  );
}
