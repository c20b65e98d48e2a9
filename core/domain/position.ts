/** What one strategy instance holds of one symbol on one account. Quantity is signed: short < 0. */
export interface Position {
  readonly accountId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly realizedPnl: number;
  readonly fees: number;
  readonly openedAt: number;
  readonly updatedAt: number;
}

/** Unrealised profit of a position at `price`. @example unrealizedPnl({quantity:2, entryPrice:10, …}, 12) // 4 */
export function unrealizedPnl(position: Pick<Position, "quantity" | "entryPrice">, price: number): number {
  return position.quantity * (price - position.entryPrice);
}

/** Balances of one account, by currency. */
export type Balances = Readonly<Record<string, { readonly free: number; readonly used: number }>>;
