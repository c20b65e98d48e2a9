import type { Logger } from "../../core/log.ts";
import { DAY_MS } from "../../core/portfolio/snapshot.ts";
import { formatNumber, formatSigned } from "../i18n/index.ts";
import type { Notice } from "./notices.ts";
import { image, type ReplyBlock, reply, text, title } from "./reply.ts";
import type { CoreServices } from "./services.ts";

/** The days the summary's bar chart shows: the day just ended and the six before it. */
const CHART_DAYS = 7;

/**
 * The daily summary, kind "daily": per account the last day's PnL and closing equity, the week's
 * total and a bar chart of the last seven days. Undefined when the services have no daily PnL (no
 * trading engine) or no account has an equity snapshot yet: an empty summary is noise.
 * @example const notice = await dailySummary(services); if (notice) await telegram.notifier?.deliver(notice)
 */
export async function dailySummary(services: CoreServices): Promise<Notice | undefined> {
  if (!services.daily) return undefined;
  const accounts = (await services.daily(CHART_DAYS)).filter((a) => a.days.length > 0);
  if (accounts.length === 0) return undefined;
  return {
    kind: "daily",
    render(t, language) {
      const blocks: ReplyBlock[] = [title(t("summary.title"))];
      for (const a of accounts) {
        const last = a.days[a.days.length - 1]!;
        const week = a.days.reduce((sum, d) => sum + d.pnl, 0);
        blocks.push(
          text(
            t("summary.account", {
              account: a.accountId,
              day: last.day,
              pnl: `${formatSigned(last.pnl, language)} ${a.quote}`,
              pct: `${formatSigned(last.pnlPct, language)}%`,
              equity: `${formatNumber(last.closeEquity, language, 2)} ${a.quote}`,
              week: `${formatSigned(week, language)} ${a.quote}`,
              days: a.days.length,
            }),
          ),
        );
        if (a.chart) {
          const caption = t("daily.caption", { account: a.accountId, days: a.days.length });
          blocks.push(image(a.chart.png, { filename: `daily-${a.accountId}.png`, caption }));
        }
      }
      return reply(...blocks);
    },
  };
}

export interface DailySummaryScheduleOptions {
  readonly services: CoreServices;
  /** Sends a notice to the subscribed chats: `telegram.notifier.deliver` (and Discord's, later). */
  readonly deliver: (notice: Notice) => Promise<unknown>;
  readonly log: Logger;
  /** Minutes after 00:00 UTC to send at: 5 by default, so the day's last equity snapshot is in. */
  readonly minuteUtc?: number;
  /** Wall-clock time; `Date.now` by default (a timer runs on real time, whatever the engine's clock). */
  readonly now?: () => number;
}

/**
 * Sends the daily summary once a day, shortly after midnight UTC, until the returned function is
 * called. A failed summary is logged and the next day's still comes.
 * @example const stop = scheduleDailySummary({ services, deliver: (n) => telegram.notifier!.deliver(n), log }); … stop();
 */
export function scheduleDailySummary(options: DailySummaryScheduleOptions): () => void {
  const now = options.now ?? Date.now;
  const offset = (options.minuteUtc ?? 5) * 60_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const t = now();
    const next = Math.floor((t - offset) / DAY_MS) * DAY_MS + DAY_MS + offset;
    timer = setTimeout(fire, next - t);
    timer.unref();
  };
  const fire = async () => {
    try {
      const notice = await dailySummary(options.services);
      if (notice) await options.deliver(notice);
    } catch (error) {
      options.log.error({ err: error }, "daily summary failed");
    }
    arm();
  };
  arm();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
