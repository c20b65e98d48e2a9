import { FONT_FAMILY } from "./fonts.ts";
import { measureText } from "./text-metrics.ts";
import { COLORS, MARGIN } from "./theme.ts";

const TITLE_SIZE = 17;
const SUBTITLE_SIZE = 12;
const LEGEND_SIZE = 12;
const LEGEND_ICON = 14;
const LEGEND_GAP = 14;

/** A legend entry: the series name, and a triangle for trade markers (a colour chip otherwise). */
export interface LegendItem {
  readonly name: string;
  readonly icon?: "triangle" | "roundRect";
}

/**
 * The header of a chart: a bold title and a muted subtitle at the top left, and the legend at the top right
 * when it fits beside the title, else on a row of its own below the subtitle. `top` is where the first panel may begin.
 * @example const h = header({ title: "Equity", subtitle: "10,000 -> 12,000", legend: [{ name: "equity" }] }, 1000)
 */
export function header(
  parts: { title?: string | undefined; subtitle?: string | undefined; legend?: readonly LegendItem[] },
  width: number,
): { title: object[]; legend?: object; top: number } {
  const title: object[] = [];
  let bottom = 4;
  if (parts.title || parts.subtitle) {
    title.push({
      text: parts.title ?? "",
      subtext: parts.subtitle ?? "",
      left: MARGIN,
      top: 12,
      itemGap: 6,
      textStyle: { fontFamily: FONT_FAMILY, fontSize: TITLE_SIZE, fontWeight: "bold", color: COLORS.text },
      subtextStyle: { fontFamily: FONT_FAMILY, fontSize: SUBTITLE_SIZE, color: COLORS.muted },
    });
    bottom = 12 + (parts.title ? TITLE_SIZE + 4 : 0) + (parts.subtitle ? SUBTITLE_SIZE + 10 : 0);
  }
  const items = parts.legend ?? [];
  if (items.length === 0) return { title, top: bottom + 16 };
  const legendWidth =
    items.reduce((w, item) => w + LEGEND_ICON + 5 + measureText(item.name, `${LEGEND_SIZE}px`).width, 0) +
    LEGEND_GAP * (items.length - 1);
  // The legend shares the first row only (a subtitle under a title runs below both), so only that row's text
  // must leave room: the title, or the subtitle when there is no title.
  const firstRow = parts.title
    ? measureText(parts.title, `bold ${TITLE_SIZE}px`).width
    : measureText(parts.subtitle ?? "", `${SUBTITLE_SIZE}px`).width;
  const beside = MARGIN + firstRow + 40 + legendWidth + MARGIN <= width;
  const legendTop = beside ? 14 : bottom + 4;
  const legend = {
    top: legendTop,
    ...(beside ? { right: MARGIN } : { left: MARGIN }),
    itemWidth: LEGEND_ICON,
    itemHeight: 8,
    itemGap: LEGEND_GAP,
    textStyle: { fontSize: LEGEND_SIZE, color: COLORS.text },
    data: items.map((item) => ({ name: item.name, icon: item.icon ?? "roundRect" })),
  };
  return { title, legend, top: (beside ? bottom : legendTop + 14) + 16 };
}
