import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PluginRegistry, sandboxSpec } from "../../../core/plugins/registry.ts";
import { FIXTURES, fixture } from "./helpers.ts";

const temp = mkdtempSync(path.join(tmpdir(), "qc-registry-"));
afterAll(() => rmSync(temp, { recursive: true }));

/** A copy of the sma-cross fixture at another version. */
function version(v: string): string {
  const dir = path.join(temp, `sma-${v}`);
  cpSync(fixture("sma-cross"), dir, { recursive: true });
  const file = path.join(dir, "plugin.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("version: 1.2.0", `version: ${v}`));
  return dir;
}

describe("PluginRegistry", () => {
  it("discovers every plugin folder under a root and reports those that do not load", () => {
    const { registry, problems } = PluginRegistry.discover([FIXTURES]);
    const ids = registry.list().map((p) => p.manifest.id);
    expect(ids).toContain("test-sma-cross");
    expect(ids).toContain("hostile");
    expect(problems.map((p) => path.basename(p.dir))).toEqual(["bad-manifest"]);
    expect(problems[0]?.error.message).toMatch(/plugin\.yaml:1:5 id: expected an id/);
  });

  it("hashes the entry file with sha256", () => {
    const { registry } = PluginRegistry.discover([fixture("sma-cross")]);
    const pkg = registry.get("test-sma-cross")!;
    const expected = createHash("sha256")
      .update(readFileSync(path.join(fixture("sma-cross"), "strategy.js")))
      .digest("hex");
    expect(pkg.sha256).toBe(expected);
    expect(sandboxSpec(pkg, "btc-sma")).toMatchObject({
      instanceId: "btc-sma",
      pluginId: "test-sma-cross",
      code: pkg.code,
      limits: { memoryMb: 32, cpuMsPerCall: 50 },
      permissions: ["indicators"],
      stateCapBytes: 65536,
    });
  });

  it("resolves an id and a semver range to the newest matching version", () => {
    const { registry } = PluginRegistry.discover([version("1.0.0"), version("1.4.2"), version("2.0.0")]);
    expect(registry.resolve("test-sma-cross", "^1.0.0").manifest.version).toBe("1.4.2");
    expect(registry.resolve("test-sma-cross", "~1.0.0").manifest.version).toBe("1.0.0");
    expect(registry.resolve("test-sma-cross").manifest.version).toBe("2.0.0");
    expect(() => registry.resolve("test-sma-cross", "^3.0.0")).toThrow(
      'plugin "test-sma-cross" has no version in ^3.0.0 (installed: 2.0.0, 1.4.2, 1.0.0)',
    );
    expect(() => registry.resolve("nope")).toThrow('no plugin "nope" is installed');
  });

  it("resolves a ./path relative to the strategies file's folder, checking its version", () => {
    const { registry } = PluginRegistry.discover([]);
    expect(registry.resolve("./plugins/sma-cross", "^1.2.0", path.join(FIXTURES, "..")).manifest.id).toBe(
      "test-sma-cross",
    );
    expect(() => registry.resolve("./plugins/sma-cross", "^2.0.0", path.join(FIXTURES, ".."))).toThrow(
      /version 1\.2\.0, which is not in \^2\.0\.0/,
    );
  });

  it("refuses the same id and version twice", () => {
    const { registry, problems } = PluginRegistry.discover([fixture("sma-cross"), version("1.2.0")]);
    expect(registry.list()).toHaveLength(1);
    expect(problems[0]?.error.message).toMatch(/test-sma-cross 1\.2\.0 is also in/);
  });
});
