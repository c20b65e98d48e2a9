import type { BusEvents } from "../../core/bus/index.ts";
import { formatNumber, type Language, type Translate } from "../i18n/index.ts";
import { type Reply, textReply } from "./reply.ts";

/** What a chat can subscribe to with /notify; "*" in a subscription means all of them. */
export const NOTIFICATION_KINDS = ["fills", "stops", "risk", "plugins", "state", "daily"] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The bus topics that become chat notifications. */
export const NOTICE_TOPICS = [
  "order.filled",
  "order.updated",
  "risk.verdict",
  "risk.warning",
  "plugin.failed",
  "trading.state",
] as const;

export type NoticeTopic = (typeof NOTICE_TOPICS)[number];

/** A notification ready to render in each chat's language. */
export interface Notice {
  readonly kind: NotificationKind;
  render(t: Translate, language: Language): Reply;
}

type Describe<T extends NoticeTopic> = (payload: BusEvents[T]) => Notice | undefined;

/** The stops core/trading fires; a stop's exit intent id ends with its kind (stopExitIntent). */
const STOP_KINDS = ["stop-loss", "take-profit", "trailing-stop"] as const;

type StopKind = (typeof STOP_KINDS)[number];

/**
 * The stop behind an order, read from its intent id (`<strategy>:<symbol>:<candle time>:<kind>`);
 * undefined for any other order.
 * @example stopKindOf("sma-btc:BTC/USDT:1700000000000:stop-loss") // "stop-loss"
 */
export function stopKindOf(intentId: string): StopKind | undefined {
  return STOP_KINDS.find((kind) => intentId.endsWith(`:${kind}`));
}

/**
 * One entry per topic: which kind it is and how it reads. A stop-out is an order that filled whose
 * intent a stop created ("stops"); the daily summary ("daily") is no bus event but a job that calls
 * the notifier (daily-summary.ts). An approved or resized order is not news; a rejected one is.
 */
const DESCRIBE: { readonly [T in NoticeTopic]: Describe<T> } = {
  "order.filled": ({ fill }) => ({
    kind: "fills",
    render: (t, language) =>
      textReply(
        t("notice.fill", {
          side: t(fill.side === "buy" ? "side.buy" : "side.sell"),
          amount: formatNumber(fill.amount, language),
          symbol: fill.symbol,
          price: formatNumber(fill.price, language),
          strategy: fill.strategyId,
        }),
      ),
  }),
  "order.updated": ({ order }) => {
    const stop = stopKindOf(order.intentId);
    if (order.status !== "filled" || stop === undefined) return undefined;
    return {
      kind: "stops",
      render: (t, language) =>
        textReply(
          t("notice.stopOut", {
            stop: t(`stop.${stop}`),
            strategy: order.strategyId,
            side: t(order.side === "buy" ? "side.buy" : "side.sell"),
            amount: formatNumber(order.filled, language),
            symbol: order.symbol,
            price: order.averagePrice === undefined ? "-" : formatNumber(order.averagePrice, language),
          }),
        ),
    };
  },
  "risk.verdict": (verdict) =>
    verdict.decision !== "reject"
      ? undefined
      : {
          kind: "risk",
          // Every rule's reason rides along; the pipeline stops at the first rejection, so the last
          // reason is the one that refused. The rest (approvals) would bury it.
          render: (t) =>
            textReply(
              t("notice.riskRejected", { strategy: verdict.strategyId, reasons: verdict.reasons.at(-1) ?? "-" }),
            ),
        },
  "risk.warning": (warning) => ({
    kind: "risk",
    render: (t, language) =>
      textReply(
        t("notice.riskWarning", {
          rule: warning.rule,
          level: formatNumber(warning.level, language, 0),
          message: warning.message,
        }),
      ),
  }),
  "plugin.failed": (failure) => ({
    kind: "plugins",
    render: (t) =>
      textReply(
        t("notice.pluginFailed", {
          plugin: failure.pluginId,
          strategy: failure.strategyId,
          cause: failure.cause,
          message: failure.message,
        }),
      ),
  }),
  "trading.state": (change) => ({
    kind: "state",
    render: (t) =>
      textReply(
        t("notice.tradingState", { state: t(`trading.${change.state}`), by: change.by, reason: change.reason }),
      ),
  }),
};

/**
 * The notification for a bus event, or undefined when the event is not worth a message.
 * @example noticeFor("order.filled", { fill })?.render(t, "en") // "Fill: BUY 0.5 BTC/USDT at 50,000 (sma-btc)"
 */
export function noticeFor<T extends NoticeTopic>(topic: T, payload: BusEvents[T]): Notice | undefined {
  return (DESCRIBE[topic] as Describe<T>)(payload);
}
