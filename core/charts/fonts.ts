import { createRequire } from "node:module";

/** The family every chart's text is set in; resvg is given exactly this font and nothing else. */
export const FONT_FAMILY = "DejaVu Sans";

const require = createRequire(import.meta.url);

/**
 * The TTF files, resolved through the npm package rather than the machine's font directories, so a chart
 * renders the same glyphs on a laptop, in CI and in a slim container without fontconfig.
 * @example FONT_FILES.regular // ".../node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf"
 */
export const FONT_FILES = {
  regular: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
} as const;
