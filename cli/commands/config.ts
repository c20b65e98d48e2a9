import type { Command } from "commander";
import { CliError } from "../errors.ts";

/**
 * `quantchat config check [file]`: validates strategies.yaml and the environment, printing "ok" and a
 * summary, or every problem as `file:line:column path: message` and exiting 1.
 * @example quantchat config check strategies.yaml
 */
export function register(program: Command): void {
  const config = program.command("config").description("Inspect and validate the configuration");
  config
    .command("check")
    .description("Validate strategies.yaml and the environment; print the problems or ok")
    .argument("[file]", "the strategies file (default: $QUANTCHAT_CONFIG or strategies.yaml)")
    .option("--no-env", "skip validating the environment variables")
    .action(async (file: string | undefined, options: { env: boolean }) => {
      const { checkConfig } = await import("../../core/config/check.ts");
      // ccxt's list of exchange ids catches a misspelt exchange now rather than at the first order.
      const ccxt = await import("ccxt");
      const target = file ?? (process.env.QUANTCHAT_CONFIG?.trim() || "strategies.yaml");
      const report = checkConfig(target, {
        env: options.env ? process.env : undefined,
        exchanges: ccxt.default.exchanges,
      });
      for (const line of report.lines) process.stdout.write(`${line}\n`);
      if (!report.ok) {
        throw new CliError(`${report.problemCount} configuration problem${report.problemCount === 1 ? "" : "s"}`);
      }
    });
}
