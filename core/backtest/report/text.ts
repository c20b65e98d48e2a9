import type { BacktestMetrics, PeriodReturn } from "../metrics/types.ts";
import type { BacktestRun, BacktestSettings } from "../types.ts";
import { coverageNote, missingData } from "./coverage.ts";
import {
  formatCount,
  formatDuration,
  formatMoney,
  formatPct,
  formatQuantity,
  formatRatio,
  formatTime,
} from "./format.ts";

/** Options of the text report. */
export interface TextReportOptions {
  /** The stored result's id, printed last so a script can `tail -1` it. */
  readonly id?: string;
  /** Most months listed; older ones are summed up in one line (the JSON has them all). */
  readonly months?: number;
}

type Row = readonly [label: string, value: string, note?: string];

/**
 * The backtest report for a terminal: what ran, then returns, risk and trades in aligned groups, the
 * monthly returns, and what was still open at the end.
 * @example process.stdout.write(textReport(run, computeMetrics(run), { id }))
 */
export function textReport(run: BacktestRun, m: BacktestMetrics, options: TextReportOptions = {}): string {
  const s = run.settings;
  const header = [
    `${run.plugin.id} ${run.plugin.version} (code ${run.plugin.codeHash.slice(0, 12)})  ` +
      `${s.symbols.join(", ")} ${s.timeframe} on ${s.exchange}`,
    describeRange(run.data),
    ...optional("data      ", coverageNote(missingData(run))),
    `params    ${formatParams(s.params)}`,
    `settings  ${describeSettings(s)}`,
  ];
  const groups: [string, Row[]][] = [
    [
      "Returns",
      [
        ["Final equity", formatMoney(m.finalEquity), `from ${formatMoney(m.startEquity)}`],
        ["Total return", formatPct(m.totalReturn, { signed: true })],
        ["CAGR", formatPct(m.cagr, { signed: true }), `over ${years(m.years)}`],
        ["Buy and hold", formatPct(m.buyAndHoldReturn, { signed: true }), s.symbols[0]],
        ["Fees paid", formatMoney(m.fees)],
      ],
    ],
    [
      "Risk",
      [
        ["Volatility", formatPct(m.volatility), "annualised"],
        ["Sharpe", formatRatio(m.sharpe), m.riskFreeRate ? `risk-free ${formatPct(m.riskFreeRate)}` : undefined],
        ["Sortino", formatRatio(m.sortino)],
        ["Calmar", formatRatio(m.calmar)],
        ["Max drawdown", formatPct(m.maxDrawdown)],
        ["Longest drawdown", formatDuration(m.maxDrawdownDuration), "peak to recovery"],
        ["Exposure", formatPct(m.exposure), "of candles in a position"],
      ],
    ],
    [
      "Trades",
      [
        ["Trades", formatCount(m.trades), m.openTrades > 0 ? `+ ${m.openTrades} open at the end` : undefined],
        ["Win rate", formatPct(m.winRate), `${m.wins} won, ${m.losses} lost`],
        ["Profit factor", formatRatio(m.profitFactor)],
        ["Expectancy", formatMoney(m.expectancy, { signed: true }), "per trade"],
        ["Average win", formatMoney(m.averageWin, { signed: true })],
        ["Average loss", formatMoney(m.averageLoss)],
        ["Best trade", tradePct(m.bestTrade), m.bestTrade ? formatMoney(m.bestTrade.pnl, { signed: true }) : undefined],
        [
          "Worst trade",
          tradePct(m.worstTrade),
          m.worstTrade ? formatMoney(m.worstTrade.pnl, { signed: true }) : undefined,
        ],
        ["Average holding", formatDuration(m.averageHolding)],
      ],
    ],
  ];
  // One column width for all three groups, so the figures line up down the whole report.
  const all = groups.flatMap(([, rows]) => rows);
  const sections = [header.join("\n"), ...groups.map(([title, rows]) => `${title}\n${aligned(rows, all)}`)];
  if (m.periods.month.length > 0) sections.push(monthly(m.periods.month, options.months ?? 24));
  const footer = footerLines(run);
  if (footer.length > 0) sections.push(footer.join("\n"));
  if (options.id) sections.push(`stored as ${options.id}`);
  return `${sections.join("\n\n")}\n`;
}

/** `[label + text]`, or nothing when there is no text: a header line that only some runs have. */
function optional(label: string, text: string | undefined): string[] {
  return text === undefined ? [] : [label + text];
}

/** `name=value` pairs in the manifest's order. @example formatParams({ fast: 10, slow: 30 }) // "fast=10 slow=30" */
export function formatParams(params: Readonly<Record<string, unknown>>): string {
  const pairs = Object.entries(params).map(([k, v]) => `${k}=${String(v)}`);
  return pairs.length > 0 ? pairs.join(" ") : "(none)";
}

/** The settings a reader needs to judge a result, in one line. */
export function describeSettings(s: BacktestSettings): string {
  const fees =
    s.fees.kind === "percent"
      ? s.fees.makerPct === s.fees.takerPct
        ? `fee ${s.fees.takerPct}%`
        : `fee ${s.fees.makerPct}%/${s.fees.takerPct}% maker/taker`
      : `fee ${formatMoney(s.fees.perOrder)} per order`;
  return [
    `cash ${formatMoney(s.cash)}`,
    fees,
    `slippage ${s.slippageBps} bps`,
    `fill ${s.fill}`,
    s.allowShort ? "long and short" : "long only",
    s.risk ? "risk rules on" : "risk rules off",
    s.closeAtEnd ? "closed at end" : "open positions valued at the last close",
  ].join(", ");
}

/** The candles replayed, in one line. @example describeRange(run.data) // "2024-01-01 00:00 .. 2024-01-31 23:00 UTC, 744 candles" */
export function describeRange(data: Pick<BacktestRun["data"], "first" | "last" | "candles">): string {
  if (data.candles === 0) return "no candles";
  return `${formatTime(data.first)} .. ${formatTime(data.last)} UTC, ${formatCount(data.candles)} candles`;
}

function years(value: number): string {
  if (value >= 1) return `${value.toFixed(2)} years`;
  const days = value * 365;
  return days >= 1 ? `${days.toFixed(1)} days` : "under a day";
}

function tradePct(trade: BacktestMetrics["bestTrade"]): string {
  // pnlPct is in percent already (2.5 = 2.5%), as the runner reports it.
  return trade ? formatPct(trade.pnlPct / 100, { signed: true }) : formatPct(null);
}

function aligned(rows: readonly Row[], widthsFrom: readonly Row[] = rows): string {
  const labelWidth = Math.max(...widthsFrom.map((r) => r[0].length));
  const valueWidth = Math.max(...widthsFrom.map((r) => r[1].length));
  return rows
    .map(
      ([label, value, note]) =>
        `  ${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}${note ? `  ${note}` : ""}`,
    )
    .join("\n");
}

function monthly(months: readonly PeriodReturn[], limit: number): string {
  const shown = months.slice(-limit);
  const rows: Row[] = shown.map((p) => [
    p.period,
    formatPct(p.return, { signed: true }),
    `${formatMoney(p.pnl, { signed: true })}, ${p.trades} trade${p.trades === 1 ? "" : "s"} closed`,
  ]);
  const earlier = months.length - shown.length;
  const note = earlier > 0 ? `\n  (${earlier} earlier month${earlier === 1 ? "" : "s"} in --json)` : "";
  return `Monthly returns\n${aligned(rows)}${note}`;
}

function footerLines(run: BacktestRun): string[] {
  const lines: string[] = [];
  const v = run.verdicts;
  if (run.settings.risk)
    lines.push(`risk verdicts: ${v.approved} approved, ${v.resized} resized, ${v.rejected} rejected`);
  for (const p of run.openAtEnd) {
    const side = p.quantity >= 0 ? "long" : "short";
    lines.push(
      `open at the end: ${p.symbol} ${side} ${formatQuantity(Math.abs(p.quantity))} from ${formatQuantity(p.entryPrice)}, ` +
        `valued at ${formatQuantity(p.lastPrice)}`,
    );
  }
  return lines;
}
