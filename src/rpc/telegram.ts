import type { TelegramCommands } from '../plugins/telegramCommands.ts'
import type { Rpc } from './rpc.ts'

/**
 * The Telegram commands, answered by the same RPC service as the REST API, so a chat sees exactly what FreqUI sees.
 * Refusals (trader not running, unknown trade ...) reach the chat as the error's message.
 */
export function telegramCommands(rpc: Rpc): TelegramCommands {
  return {
    status: async () => (await rpc.status()).map((t) => ({ ...t, current_rate: t.current_rate ?? null })),
    profit: () => rpc.profit(),
    balance: () => rpc.balance(),
    daily: (days) => rpc.periodicProfit('days', days),
    performance: () => rpc.performance(),
    count: () => rpc.count(),
    locks: async () => (await rpc.locks()).locks,
    start: async () => rpc.start().status,
    stop: async () => rpc.stop().status,
    stopEntry: async () => rpc.stopEntry().status,
    reloadConfig: async () => rpc.reloadConfig().status,
    forceExit: async (tradeId) => (await rpc.forceExit({ tradeid: tradeId })).result,
    forceEnter: async (pair, side, price) => {
      const answer = await rpc.forceEnter({ pair, side, price })
      return 'trade_id' in answer ? `Entered ${pair} (trade ${answer.trade_id}).` : answer.status
    },
  }
}
