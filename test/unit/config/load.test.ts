import { afterAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../../../src/config/errors.ts'
import { configFromObject, deepMerge, envOverrides, loadConfig } from '../../../src/config/load.ts'
import { redactSecrets } from '../../../src/config/secrets.ts'
import { tempDir } from '../../helpers/tmp.ts'

const dir = tempDir()
afterAll(dir.cleanup)

function write(name: string, text: string): string {
  const path = join(dir.path, name)
  writeFileSync(path, text)
  return path
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn()
  } catch (e) {
    if (e instanceof ConfigError) return e.problems
    throw e
  }
  throw new Error('expected a ConfigError')
}

describe('defaults', () => {
  test('an empty config gets freqtrade-like defaults', () => {
    const c = configFromObject({})
    expect(c.dry_run).toBe(true)
    expect(c.stake_amount).toBe('unlimited')
    expect(c.tradable_balance_ratio).toBe(0.99)
    expect(c.initial_state).toBe('stopped')
    expect(c.api_server).toMatchObject({ enabled: false, listen_ip_address: '127.0.0.1', listen_port: 8080 })
    expect(c.unfilledtimeout).toEqual({ entry: 10, exit: 10, unit: 'minutes', exit_timeout_count: 0 })
    expect(c.entry_pricing.check_depth_of_market).toEqual({ enabled: false, bids_to_ask_delta: 1 })
    expect(c.pairlists).toEqual([{ method: 'StaticPairList' }])
    expect(c.internals.process_throttle_secs).toBe(5)
    expect(c.custom_price_max_distance_ratio).toBe(0.02)
  })

  test('a stop limit ratio outside (0, 1] is refused, naming the key', () => {
    const problems = problemsOf(() => configFromObject({ order_types: { stoploss_on_exchange_limit_ratio: 1.5 } }))
    expect(problems.join('\n')).toContain('order_types.stoploss_on_exchange_limit_ratio')
    expect(configFromObject({ order_types: { stoploss_on_exchange_limit_ratio: 0.98 } }).order_types).toMatchObject({
      stoploss_on_exchange_limit_ratio: 0.98,
    })
  })

  test('a negative custom_price_max_distance_ratio is refused, naming the key', () => {
    const problems = problemsOf(() => configFromObject({ custom_price_max_distance_ratio: -0.1 }))
    expect(problems.join('\n')).toContain('custom_price_max_distance_ratio')
  })

  test('given values are kept and nested defaults filled around them', () => {
    const c = configFromObject({ order_types: { entry: 'market' }, api_server: { listen_port: 9000 } })
    expect(c.order_types).toMatchObject({ entry: 'market', exit: 'limit', stoploss: 'market' })
    expect(c.api_server.listen_port).toBe(9000)
    expect(c.api_server.username).toBe('')
  })
})

describe('files and merging', () => {
  test('several files merge left to right; objects merge key by key, lists are replaced', () => {
    const a = write(
      'a.json',
      '{"max_open_trades": 3, "exchange": {"name": "binance", "pair_whitelist": ["A/B", "C/D"]}}',
    )
    const b = write('b.json', '{"max_open_trades": 5, "exchange": {"pair_whitelist": ["E/F"]}}')
    const { config } = loadConfig([a, b], {})
    expect(config.max_open_trades).toBe(5)
    expect(config.exchange.name).toBe('binance')
    expect(config.exchange.pair_whitelist).toEqual(['E/F'])
  })

  test('comments and trailing commas are accepted (the example config has comments)', () => {
    const p = write('c.json', '// top\n{\n  /* block */ "max_open_trades": 2, // trailing\n}\n')
    expect(loadConfig([p], {}).config.max_open_trades).toBe(2)
  })

  test('invalid JSON names the file, line and column', () => {
    const p = write('bad.json', '{\n  "max_open_trades": 3\n  "stake_currency": "USDT"\n}')
    const problems = problemsOf(() => loadConfig([p], {}))
    expect(problems[0]).toContain(p)
    expect(problems[0]).toContain('line 3 column 3')
  })

  test('a missing file is named', () => {
    const problems = problemsOf(() => loadConfig([join(dir.path, 'nope.json')], {}))
    expect(problems).toEqual([`config file '${join(dir.path, 'nope.json')}' does not exist`])
  })

  test('deepMerge does not modify its inputs', () => {
    const base = { a: { b: 1 } }
    deepMerge(base, { a: { c: 2 } })
    expect(base).toEqual({ a: { b: 1 } })
  })
})

describe('environment overrides', () => {
  test('TERN__SECTION__KEY sets nested keys, parsed as JSON where the key is not a string', () => {
    const p = write('env.json', '{"exchange": {"name": "binance"}}')
    const { config } = loadConfig([p], {
      TERN__MAX_OPEN_TRADES: '7',
      TERN__EXCHANGE__KEY: '12345',
      TERN__API_SERVER__CORS_ORIGINS: '["http://a.test"]',
      TERN__API_SERVER__ENABLED: 'true',
      TERN__DRY_RUN_WALLET: '2500.5',
      OTHER__MAX_OPEN_TRADES: '9',
    })
    expect(config.max_open_trades).toBe(7)
    expect(config.exchange.key).toBe('12345')
    expect(config.api_server.CORS_origins).toEqual(['http://a.test'])
    expect(config.api_server.enabled).toBe(true)
    expect(config.dry_run_wallet).toBe(2500.5)
  })

  test('env overrides beat files', () => {
    const p = write('env2.json', '{"stake_currency": "BTC"}')
    expect(loadConfig([p], { TERN__STAKE_CURRENCY: 'ETH' }).config.stake_currency).toBe('ETH')
  })

  test('envOverrides maps upper-case names onto the schema spelling', () => {
    expect(envOverrides({ TERN__API_SERVER__CORS_ORIGINS: '[]' })).toEqual({ api_server: { CORS_origins: [] } })
  })
})

describe('validation messages', () => {
  test('one message per problem with the key path, the value and what was expected', () => {
    const problems = problemsOf(() =>
      configFromObject({
        max_open_trades: 'three',
        stake_amount: -5,
        order_types: { entry: 'fok' },
        api_server: { listen_port: 70000 },
        timeframe: '5 minutes',
        minimal_roi: { soon: 0.1 },
      }),
    )
    expect(problems).toContain('max_open_trades: got "three", expected an integer >= -1')
    expect(problems).toContain("stake_amount: got -5, expected a number > 0 or 'unlimited'")
    expect(problems).toContain("order_types.entry: got \"fok\", expected one of 'limit', 'market'")
    expect(problems).toContain('api_server.listen_port: got 70000, expected an integer >= 0 and <= 65535')
    expect(problems).toContain('timeframe: got "5 minutes", expected a string (candle length, e.g. 5m, 1h, 1d)')
    expect(problems).toContain('minimal_roi.soon: got key "soon", expected a number of minutes like "0" or "30"')
    expect(problems.length).toBe(6)
  })

  test('a secret value is never printed in a message', () => {
    const problems = problemsOf(() =>
      configFromObject({ api_server: { password: 12345678 }, exchange: { secret: 99 } }),
    )
    expect(problems.join('\n')).not.toContain('12345678')
    expect(problems.join('\n')).not.toContain('99')
    expect(problems).toContain('api_server.password: got [REDACTED], expected a string')
  })

  test('cross-key rules: trailing offset above the positive stop, live trading needs keys', () => {
    const problems = problemsOf(() =>
      configFromObject({
        trailing_stop_positive: 0.02,
        trailing_stop_positive_offset: 0.01,
        dry_run: false,
        exchange: { name: 'binance' },
      }),
    )
    expect(problems[0]).toContain('trailing_stop_positive_offset: got 0.01')
    expect(problems[1]).toContain('exchange.key: live trading')
  })
})

describe('redactSecrets', () => {
  test('replaces key, secret, password, jwt_secret_key and ws_token anywhere; leaves empty ones', () => {
    const c = configFromObject({
      exchange: { name: 'binance', key: 'k1', secret: 's1' },
      api_server: { password: 'p1', jwt_secret_key: 'j1', ws_token: 'w1' },
    })
    const text = JSON.stringify(redactSecrets(c))
    for (const s of ['k1', 's1', 'p1', 'j1', 'w1']) expect(text).not.toContain(`"${s}"`)
    expect(redactSecrets(c).exchange.password).toBe('')
    expect(c.exchange.key).toBe('k1')
  })
})
