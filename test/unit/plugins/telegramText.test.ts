import { describe, expect, test } from 'bun:test'
import type { OpenTradeView } from '../../../src/plugins/telegramCommands.ts'
import { statusText } from '../../../src/plugins/telegramText.ts'

const trade = (orders: OpenTradeView['orders'], realized = 0): OpenTradeView => ({
  trade_id: 3,
  pair: 'ETH/USDT',
  is_short: false,
  amount: 2,
  stake_amount: 180,
  open_rate: 90,
  current_rate: 95,
  open_date: '2024-05-01 10:00:00',
  enter_tag: null,
  profit_ratio: 0.05,
  profit_abs: 9,
  realized_profit: realized,
  orders,
})

describe('telegram /status text', () => {
  test('a trade of one entry says nothing of entries', () => {
    const text = statusText([trade([{ ft_order_side: 'buy', filled: 2 }])])
    expect(text).not.toContain('Number of Entries')
    expect(text).toContain('Open Rate: 90')
  })

  test('a position adjusted by additions and a partial exit counts them and shows the realised profit', () => {
    const text = statusText([
      trade(
        [
          { ft_order_side: 'buy', filled: 1 },
          { ft_order_side: 'buy', filled: 1.5 },
          // cancelled unfilled: not counted
          { ft_order_side: 'buy', filled: 0 },
          { ft_order_side: 'sell', filled: 0.5 },
          // a stop-loss order is not an exit of the count (freqtrade counts sell orders only)
          { ft_order_side: 'stoploss', filled: 0.1 },
        ],
        4.25,
      ),
    ])
    expect(text.split('\n')).toContain('Number of Entries: 2')
    expect(text.split('\n')).toContain('Number of Exits: 1')
    expect(text.split('\n')).toContain('Realized Profit: 4.25')
  })
})
