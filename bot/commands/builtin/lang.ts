import { z } from "zod";
import { setUserLanguage } from "../../../core/store/repositories/users.ts";
import { createTranslator, LANGUAGES } from "../../i18n/index.ts";
import { defineCommand } from "../define.ts";
import { textReply } from "../reply.ts";

/** /lang [en|ko]: shows the caller's language, or stores a new one and answers in it. */
export const lang = defineCommand({
  name: "lang",
  description: "cmd.lang.description",
  usage: "cmd.lang.usage",
  role: "viewer",
  args: z.strictObject({ language: z.string().toLowerCase().pipe(z.enum(LANGUAGES)).optional() }),
  positional: ["language"],
  audit: (args) => args.language !== undefined,
  async run(ctx, { language }) {
    if (language === undefined) {
      return textReply(ctx.t("lang.current", { language: ctx.t(`language.${ctx.language}`) }));
    }
    await setUserLanguage(ctx.db, ctx.user.id, language);
    const t = createTranslator(language);
    return textReply(t("lang.set", { language: t(`language.${language}`) }));
  },
});
