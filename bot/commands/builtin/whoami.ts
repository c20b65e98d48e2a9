import { defineCommand } from "../define.ts";
import { reply, table, title } from "../reply.ts";

/** /whoami: the identity the bot sees, the role it grants and the language it answers in. */
export const whoami = defineCommand({
  name: "whoami",
  description: "cmd.whoami.description",
  usage: "cmd.whoami.usage",
  role: "viewer",
  run: ({ t, caller, role, language }) =>
    reply(
      title(t("whoami.title")),
      table(
        [t("whoami.field"), t("whoami.value")],
        [
          [t("whoami.platform"), caller.platform],
          [t("whoami.userId"), caller.userId],
          [t("whoami.chatId"), caller.chatId],
          [t("whoami.name"), caller.username ? `${caller.displayName} (@${caller.username})` : caller.displayName],
          [t("whoami.role"), t(`role.${role}`)],
          [t("whoami.language"), t(`language.${language}`)],
        ],
        ["left", "left"],
      ),
    ),
});
