import type { Balances } from "../../domain/index.ts";

/** One currency of a paper account: `used` is what open orders hold. */
export interface Wallet {
  free: number;
  used: number;
}

/**
 * A paper account's balances, with the currencies changed since the last `takeDirty()` so that only
 * those are written back to the store.
 * @example const w = new Wallets({ USDT: 10_000 }); w.move("USDT", -100); w.get("USDT").free // 9900
 */
export class Wallets {
  private readonly wallets = new Map<string, Wallet>();
  private readonly dirty = new Set<string>();
  /** What balances() last returned, until the next change: the account asks after every order. */
  private snapshot: Balances | undefined;

  constructor(initial: Readonly<Record<string, number | { free: number; used: number }>> = {}) {
    for (const [currency, value] of Object.entries(initial)) {
      this.wallets.set(currency, typeof value === "number" ? { free: value, used: 0 } : { ...value });
      this.dirty.add(currency);
    }
  }

  get(currency: string): Wallet {
    let wallet = this.wallets.get(currency);
    if (!wallet) {
      wallet = { free: 0, used: 0 };
      this.wallets.set(currency, wallet);
    }
    return wallet;
  }

  /** Adds `amount` (negative to take) to the free balance. */
  move(currency: string, amount: number): void {
    const wallet = this.get(currency);
    this.snapshot = undefined;
    wallet.free = tidy(wallet.free + amount);
    this.dirty.add(currency);
  }

  /** Moves `amount` from free to used (an order reserves it), or back with a negative amount. */
  reserve(currency: string, amount: number): void {
    const wallet = this.get(currency);
    this.snapshot = undefined;
    wallet.free = tidy(wallet.free - amount);
    wallet.used = tidy(wallet.used + amount);
    this.dirty.add(currency);
  }

  /** Takes `amount` out of used: a reserved amount spent by a fill. */
  spendReserved(currency: string, amount: number): void {
    const wallet = this.get(currency);
    this.snapshot = undefined;
    wallet.used = tidy(wallet.used - amount);
    this.dirty.add(currency);
  }

  /** Non-zero balances, as `fetchBalance` returns them. */
  balances(): Balances {
    if (this.snapshot) return this.snapshot;
    const out: Record<string, { free: number; used: number }> = {};
    for (const [currency, w] of this.wallets) if (w.free !== 0 || w.used !== 0) out[currency] = { ...w };
    this.snapshot = out;
    return out;
  }

  /** The changed currencies since the last call, with their balances. */
  takeDirty(): Balances {
    const out: Record<string, { free: number; used: number }> = {};
    for (const currency of this.dirty) out[currency] = { ...this.get(currency) };
    this.dirty.clear();
    return out;
  }
}

/** Float dust from adding and taking back the same amounts is zero. */
function tidy(value: number): number {
  return Math.abs(value) < 1e-12 ? 0 : value;
}
