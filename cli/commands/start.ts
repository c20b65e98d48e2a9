import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("start")
    .description("Run the main job: migrate, load config, start the engine and the web panel")
    .action(async () => {
      const { startMain } = await import("../../core/main-job.ts");
      await startMain();
    });
}
