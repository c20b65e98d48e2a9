import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest } from "../../core/plugins/manifest.ts";
import { validateParams } from "../../core/plugins/params.ts";
import { builtInPluginIds, pluginDir } from "./helpers.ts";

const ids = builtInPluginIds();

describe("built-in plugin manifests", () => {
  it("ship at least the ten strategies of the issue", () => {
    for (const id of [
      "sma-cross",
      "ema-cross",
      "macd",
      "rsi-reversion",
      "bollinger-reversion",
      "donchian-breakout",
      "supertrend",
      "grid",
      "dca",
      "haa-rebalance",
    ]) {
      expect(ids).toContain(id);
    }
  });

  for (const id of ids) {
    it(`${id}: plugin.yaml validates, without warnings, and matches its folder`, () => {
      const { manifest, warnings } = loadManifest(pluginDir(id));
      expect(warnings).toEqual([]);
      expect(manifest.id).toBe(id);
      // The oldest host API with every hook it uses: onCandles came with 1.1.
      const code = readFileSync(path.join(pluginDir(id), manifest.entry), "utf8");
      expect(manifest.api).toBe(/^\s*onCandles\(/m.test(code) ? "^1.1.0" : "^1.0.0");
      expect(manifest.entry).toBe("strategy.js");
      // Every param's default is a valid value of it (what an instance gets when it sets nothing).
      expect(validateParams(manifest, {})).toMatchObject({ ok: true });
      for (const [name, spec] of Object.entries(manifest.params)) {
        expect(spec.description, `${id}: params.${name} needs a description for forms`).toBeTruthy();
      }
    });

    it(`${id}: the entry imports nothing and a README explains it`, () => {
      const code = readFileSync(path.join(pluginDir(id), "strategy.js"), "utf8");
      expect(code).not.toMatch(/^\s*import\s/m);
      expect(code).not.toMatch(/\bimport\s*\(/);
      expect(code).toMatch(/^export default \{/m);
      const readme = readFileSync(path.join(pluginDir(id), "README.md"), "utf8");
      expect(readme.length).toBeGreaterThan(300);
    });
  }
});
