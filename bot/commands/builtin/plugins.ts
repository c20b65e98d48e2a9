import { defineCommand } from "../define.ts";
import { reply, table, textReply, title } from "../reply.ts";

/** /plugins: the installed strategy plugins and whether each is enabled. */
export const plugins = defineCommand({
  name: "plugins",
  description: "cmd.plugins.description",
  usage: "cmd.plugins.usage",
  role: "viewer",
  async run(ctx) {
    if (!ctx.services.listPlugins) return ctx.notAvailable();
    const list = await ctx.services.listPlugins();
    const { t } = ctx;
    if (list.length === 0) return textReply(t("plugins.none"));
    return reply(
      title(t("plugins.title")),
      table(
        [t("col.plugin"), t("col.version"), t("col.state")],
        list.map((p) => [p.id, p.version, t(p.enabled ? "plugins.enabled" : "plugins.disabled")]),
        ["left", "left", "left"],
      ),
    );
  },
});
