import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Value } from '@sinclair/typebox/value'
import { loadMarkets, marketsCacheFile, simMarkets } from '../../../src/backtest/index.ts'
import { type Config, ConfigSchema } from '../../../src/config/schema.ts'
import { tempDir } from '../../helpers/tmp.ts'

const tmp = tempDir('tern-btmk-')
afterAll(() => tmp.cleanup())

describe('market rules for a backtest', () => {
  test('sim: the simulator defaults for its markets, price-level rules for others', () => {
    const m = simMarkets(['ETH/BTC', 'LTC/BTC'], 42, { 'LTC/BTC': 0.017 })
    expect(m.rules['ETH/BTC']).toMatchObject({ pricePrecision: 0.00001, amountPrecision: 0.0001 })
    expect(m.rules['ETH/BTC'].limits.minCost).toBe(0.0001)
    expect(m.fees['ETH/BTC']).toBe(0.001)
    // 0.017 BTC: tick 10^round(log10(1.7e-7)) = 1e-7; step: a hundredth of the 0.0001 BTC minimum in LTC → 1e-4
    expect(m.rules['LTC/BTC']).toMatchObject({ pricePrecision: 1e-7, amountPrecision: 0.0001 })
  })

  test('a real exchange reads the markets cached on disk (works offline)', async () => {
    const config = Value.Default(ConfigSchema, {
      user_data_dir: tmp.path,
      stake_currency: 'USDT',
      exchange: { name: 'binance', pair_whitelist: ['BTC/USDT'] },
    }) as Config
    const file = marketsCacheFile(tmp.path, 'binance')
    mkdirSync(join(tmp.path, 'markets'), { recursive: true })
    writeFileSync(
      file,
      JSON.stringify({
        'BTC/USDT': {
          symbol: 'BTC/USDT',
          base: 'BTC',
          quote: 'USDT',
          active: true,
          precision: { amount: 0.00001, price: 0.01 },
          limits: { amount: { min: 0.00001, max: 9000 }, cost: { min: 5 }, price: {} },
          maker: 0.001,
          taker: 0.001,
        },
      }),
    )
    const m = await loadMarkets(config, ['BTC/USDT'])
    expect(m.rules['BTC/USDT']).toEqual({
      pricePrecision: 0.01,
      amountPrecision: 0.00001,
      precisionMode: 4,
      limits: { minCost: 5, maxCost: undefined, minAmount: 0.00001, maxAmount: 9000 },
    })
    expect(m.fees['BTC/USDT']).toBe(0.001)
    await expect(loadMarkets(config, ['ETH/USDT'])).rejects.toThrow("pair 'ETH/USDT' is not available on binance")
  })
})
