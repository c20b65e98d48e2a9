import { manualOrderCommand } from "./manual-order.ts";

/** /buy <symbol> <amount>: a manual market buy, after a confirmation, through the risk manager. */
export const buy = manualOrderCommand({ side: "buy", description: "cmd.buy.description", usage: "cmd.buy.usage" });
