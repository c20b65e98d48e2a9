import type { BusEvents } from "../../core/bus/index.ts";
import { formatNumber, type Language, type Translate } from "../i18n/index.ts";
import { type Reply, textReply } from "./reply.ts";

/** What a chat can subscribe to with /notify; "*" in a subscription means all of them. */
export const NOTIFICATION_KINDS = ["fills", "stops", "risk", "plugins", "state", "daily"] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The bus topics that become chat notifications. */
export const NOTICE_TOPICS = [
  "order.filled",
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

/**
 * One entry per topic: which kind it is and how it reads. Stop-outs ("stops") and the daily summary
 * ("daily") have no bus event yet; when core publishes them, they get an entry here and nothing else
 * changes. An approved or resized order is not news; a rejected one is.
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
  "risk.verdict": (verdict) =>
    verdict.decision !== "reject"
      ? undefined
      : {
          kind: "risk",
          render: (t) =>
            textReply(t("notice.riskRejected", { strategy: verdict.strategyId, reasons: verdict.reasons.join("; ") })),
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
