import type { Config } from '../config/schema.ts'
import type { TradeStore } from './tradeStore.ts'

/**
 * The dry-run wallet implied by the database: the starting wallet plus every closed trade's profit, less what the
 * open trades have tied up (their remaining cost incl. entry fee, net of profit already realised by partial exits),
 * and the open trades' coins. A restarted dry-run bot starts from this, so it can still exit what it holds.
 */
export async function dryRunBalances(config: Config, store: TradeStore): Promise<Record<string, number>> {
  const stake = config.stake_currency
  const balances: Record<string, number> = { [stake]: config.dry_run_wallet + (await store.closedProfit()) }
  for (const trade of await store.loadOpen()) {
    const base = trade.row.baseCurrency ?? trade.pair.split('/')[0]!
    balances[base] = (balances[base] ?? 0) + trade.row.amount
    balances[stake] = balances[stake]! - (trade.row.openTradeValue ?? 0) + (trade.row.realizedProfit ?? 0)
  }
  return balances
}
