import { manualOrderCommand } from "./manual-order.ts";

/** /sell <symbol> <amount>: a manual market sell, after a confirmation, through the risk manager. */
export const sell = manualOrderCommand({ side: "sell", description: "cmd.sell.description", usage: "cmd.sell.usage" });
