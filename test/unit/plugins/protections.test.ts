import { beforeAll, describe, expect, test } from 'bun:test'
import { closedProfitDrawdown } from '../../../plugins/protections/MaxDrawdown.ts'
import {
  type ClosedTradeInfo,
  defineProtection,
  isPairLocked,
  loadPlugins,
  type PluginRegistry,
  type ProtectionLock,
  ProtectionManager,
  Type,
} from '../../../src/plugins/index.ts'

let registry: PluginRegistry
beforeAll(async () => {
  registry = await loadPlugins()
})

const MIN = 60_000
const T = Date.UTC(2024, 4, 1, 12, 0)

function trade(pair: string, closedMinAgo: number, profitRatio: number, exitReason = 'roi', isShort = false) {
  return {
    pair,
    openDateMs: T - (closedMinAgo + 30) * MIN,
    closeDateMs: T - closedMinAgo * MIN,
    profitRatio,
    profitAbs: profitRatio * 100,
    exitReason,
    isShort,
  } satisfies ClosedTradeInfo
}

type Block = { method: string } & Record<string, unknown>
const pm = (blocks: Block[], timeframe = '5m') => ProtectionManager.create(registry, blocks, { timeframe })

describe('CooldownPeriod', () => {
  test('locks the pair until the close plus stop_duration_candles', () => {
    const p = pm([{ method: 'CooldownPeriod', stop_duration_candles: 2 }])
    // 2 candles of 5m = 10 minutes after the close 3 minutes ago.
    expect(p.stopPerPair('ETH/BTC', 'long', [trade('ETH/BTC', 3, 0.01), trade('XRP/BTC', 1, 0.01)], T)).toEqual([
      { pair: 'ETH/BTC', untilMs: T + 7 * MIN, reason: 'Cooldown period for 2 candles.', side: '*' },
    ])
    expect(p.stopPerPair('ETH/BTC', 'long', [trade('ETH/BTC', 11, 0.01)], T)).toEqual([])
    expect(p.globalStop('long', [trade('ETH/BTC', 3, 0.01)], T)).toEqual([])
  })
  test('stop_duration in minutes, default 60', () => {
    expect(pm([{ method: 'CooldownPeriod' }]).stopPerPair('A/B', 'long', [trade('A/B', 20, 0)], T)[0]?.untilMs).toBe(
      T + 40 * MIN,
    )
  })
})

describe('StoplossGuard', () => {
  const trades = [
    trade('A/BTC', 50, -0.03, 'stop_loss'),
    trade('B/BTC', 10, -0.02, 'trailing_stop_loss'),
    trade('C/BTC', 5, 0.05, 'roi'),
    trade('D/BTC', 70, -0.04, 'stop_loss'), // outside the 60-minute lookback
  ]
  test('global lock after trade_limit stoplosses within the lookback', () => {
    const p = pm([{ method: 'StoplossGuard', trade_limit: 2, lookback_period: 60, stop_duration: 30 }])
    expect(p.globalStop('long', trades, T)).toEqual([
      {
        pair: '*',
        untilMs: T + 20 * MIN, // latest counted close (10 min ago) + 30
        reason: '2 stoplosses under 0.00% in 60 minutes, locking for 30 minutes.',
        side: '*',
      },
    ])
    expect(p.globalStop('long', trades.slice(1), T)).toEqual([])
  })
  test('required_profit counts stoplosses in profit below it', () => {
    const inProfit = [trade('A/BTC', 5, 0.01, 'trailing_stop_loss'), trade('B/BTC', 6, 0.015, 'stop_loss')]
    expect(pm([{ method: 'StoplossGuard', trade_limit: 2 }]).globalStop('long', inProfit, T)).toEqual([])
    expect(
      pm([{ method: 'StoplossGuard', trade_limit: 2, required_profit: 0.02 }]).globalStop('long', inProfit, T),
    ).toHaveLength(1)
  })
  test('only_per_pair locks the pair only', () => {
    const p = pm([{ method: 'StoplossGuard', trade_limit: 2, only_per_pair: true, lookback_period_candles: 12 }])
    const same = [trade('A/BTC', 50, -0.03, 'stop_loss'), trade('A/BTC', 20, -0.03, 'stop_loss')]
    expect(p.globalStop('long', same, T)).toEqual([])
    expect(p.stopPerPair('A/BTC', 'long', same, T)[0]).toMatchObject({ pair: 'A/BTC', untilMs: T + 40 * MIN })
    expect(p.stopPerPair('B/BTC', 'long', same, T)).toEqual([])
  })
  test('only_per_side counts and locks the side of the closed trade', () => {
    const p = pm([{ method: 'StoplossGuard', trade_limit: 2, only_per_side: true }])
    const mixed = [trade('A/BTC', 5, -0.03, 'stop_loss', true), trade('B/BTC', 6, -0.03, 'stop_loss', false)]
    expect(p.globalStop('long', mixed, T)).toEqual([])
    const shorts = [trade('A/BTC', 5, -0.03, 'stop_loss', true), trade('B/BTC', 6, -0.03, 'stop_loss', true)]
    expect(p.globalStop('short', shorts, T)[0]?.side).toBe('short')
  })
})

describe('MaxDrawdown', () => {
  test('drawdown of the cumulative profit ratio (hand-worked)', () => {
    // cumulative 0.05, -0.05, -0.10, -0.08; peak 0.05 -> worst fall 0.15 at the third trade
    const t = [trade('A/B', 40, 0.05), trade('A/B', 30, -0.1), trade('A/B', 20, -0.05), trade('A/B', 10, 0.02)]
    expect(closedProfitDrawdown(t)).toBeCloseTo(0.15, 12)
    // a fall that ends on the first trade is no drawdown (freqtrade raises "No losing trade")
    expect(closedProfitDrawdown([trade('A/B', 20, -0.2), trade('A/B', 10, 0.01)])).toBeUndefined()
  })
  test('global lock above max_allowed_drawdown, not at or below', () => {
    const t = [trade('A/B', 40, 0.05), trade('C/B', 30, -0.1), trade('A/B', 20, -0.05), trade('A/B', 10, 0.02)]
    const locks = pm([
      { method: 'MaxDrawdown', max_allowed_drawdown: 0.1, lookback_period: 120, stop_duration: 60, trade_limit: 3 },
    ]).globalStop('long', t, T)
    expect(locks).toHaveLength(1)
    expect(locks[0]).toMatchObject({ pair: '*', untilMs: T + 50 * MIN, side: '*' })
    expect(locks[0]?.reason).toMatch(/^0\.150000\d* passed 0\.1 in 120 minutes, locking for 60 minutes\.$/)
    expect(
      pm([{ method: 'MaxDrawdown', max_allowed_drawdown: 0.2, lookback_period: 120 }]).globalStop('long', t, T),
    ).toEqual([])
    expect(
      pm([{ method: 'MaxDrawdown', max_allowed_drawdown: 0.1, lookback_period: 120, trade_limit: 5 }]).globalStop(
        'long',
        t,
        T,
      ),
    ).toEqual([])
  })
})

describe('LowProfitPairs', () => {
  test('locks a pair whose summed profit is below required_profit', () => {
    const p = pm([
      { method: 'LowProfitPairs', trade_limit: 2, required_profit: 0, lookback_period: 60, stop_duration: 15 },
    ])
    const t = [trade('A/B', 40, -0.03), trade('A/B', 10, 0.01), trade('B/B', 10, -0.5)]
    expect(p.stopPerPair('A/B', 'long', t, T)).toEqual([
      {
        pair: 'A/B',
        untilMs: T + 5 * MIN,
        reason: '-0.019999999999999997 < 0 in 60 minutes, locking for 15 minutes.',
        side: '*',
      },
    ])
    // B/B has one trade only: below trade_limit
    expect(p.stopPerPair('B/B', 'long', t, T)).toEqual([])
  })
})

describe('ProtectionManager', () => {
  test('a lock already in force until later is not repeated', () => {
    const p = pm([{ method: 'CooldownPeriod', stop_duration: 10 }])
    const existing = [{ pair: 'A/B', untilMs: T + 60 * MIN, side: '*' as const }]
    expect(p.stopPerPair('A/B', 'long', [trade('A/B', 1, 0)], T, existing)).toEqual([])
    expect(p.stopPerPair('A/B', 'long', [trade('A/B', 1, 0)], T, [{ ...existing[0]!, untilMs: T + MIN }])).toHaveLength(
      1,
    )
  })

  test('afterTradeClosed runs per-pair then global checks; a throwing protection is skipped', async () => {
    const local = await loadPlugins()
    local.add(
      defineProtection({
        name: 'Broken',
        description: 'always throws',
        config: Type.Object({}),
        create: () => ({
          hasGlobalStop: true,
          hasLocalStop: true,
          describe: () => 'broken',
          globalStop: () => {
            throw new Error('kaputt')
          },
          stopPerPair: () => {
            throw new Error('kaputt')
          },
        }),
      }),
    )
    const p = ProtectionManager.create(
      local,
      [
        { method: 'Broken' },
        { method: 'CooldownPeriod', stop_duration: 5 },
        { method: 'StoplossGuard', trade_limit: 1, stop_duration: 20 },
      ],
      { timeframe: '5m' },
    )
    const t = [trade('A/B', 1, -0.05, 'stop_loss')]
    const locks = p.afterTradeClosed(t[0]!, t, T)
    expect(locks.map((l) => [l.pair, l.untilMs])).toEqual([
      ['A/B', T + 4 * MIN],
      ['*', T + 19 * MIN],
    ])
  })

  test('config errors name the block, the plugin and the key', () => {
    expect(() => pm([{ method: 'CooldownPeriod', stop_duration: 5, stop_duration_candles: 2 }])).toThrow(
      /protections\[0\] \(CooldownPeriod\): give either 'stop_duration' or 'stop_duration_candles'/,
    )
    expect(() => pm([{ method: 'StoplossGuard', trade_limit: 0 }])).toThrow(
      /protections\[0\] \(StoplossGuard\): key 'trade_limit'/,
    )
    expect(() => pm([{ method: 'Nope' }])).toThrow(/protections\[0\]: unknown protection 'Nope'/)
    expect(() =>
      ProtectionManager.create(registry, [{ method: 'CooldownPeriod', stop_duration_candles: 2 }], {}),
    ).toThrow(/need the strategy's timeframe/)
  })

  test('in a backtest-style replay the locks stop later entries until they expire', () => {
    // Replay of one pair: each candidate entry is refused while a lock holds; each close runs the protections.
    const p = pm([
      { method: 'StoplossGuard', trade_limit: 2, lookback_period: 60, stop_duration: 60, only_per_pair: true },
    ])
    const locks: ProtectionLock[] = []
    const closed: ClosedTradeInfo[] = []
    const entered: number[] = []
    for (let minute = 0; minute < 240; minute += 15) {
      const now = T + minute * MIN
      if (isPairLocked(locks, 'A/B', now, 'long')) continue
      entered.push(minute)
      // every trade lasts 5 minutes and hits its stoploss
      const t = { ...trade('A/B', 0, -0.02, 'stop_loss'), openDateMs: now, closeDateMs: now + 5 * MIN }
      closed.push(t)
      locks.push(...p.afterTradeClosed(t, closed, t.closeDateMs, locks))
    }
    // entries at 0 and 15; the second stoploss (closed at 20) locks until 80; then 90 and 105 -> lock until 170; ...
    expect(entered).toEqual([0, 15, 90, 105, 180, 195])
    expect(locks.map((l) => (l.untilMs - T) / MIN)).toEqual([80, 170, 260])
  })
})
