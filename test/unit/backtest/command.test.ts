import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { latestResultFile } from '../../../src/backtest/storage.ts'
import { UsageError } from '../../../src/cli/args.ts'
import { backtestingCommand, backtestingShowCommand } from '../../../src/cli/commands/backtesting.ts'
import { capture } from '../../helpers/capture.ts'
import { tempDir } from '../../helpers/tmp.ts'

const SHARED = join(import.meta.dir, '..', '..', '..', '..', 'shared', 'data')
const missing = !existsSync(join(SHARED, 'binance'))
if (missing) console.warn(`skipping backtesting command tests: ${SHARED} is absent`)

const tmp = tempDir('tern-btcli-')
afterAll(() => tmp.cleanup())

describe.skipIf(missing)('tern backtesting / backtesting-show', () => {
  const cfg = join(tmp.path, 'config.json')
  writeFileSync(
    cfg,
    JSON.stringify({
      stake_currency: 'BTC',
      stake_amount: 0.001,
      dry_run_wallet: 0.01,
      datadir: join(SHARED, 'binance'),
      user_data_dir: join(tmp.path, 'user_data'),
      analysis_workers: 0,
      exchange: { name: 'sim', pair_whitelist: ['ETH/BTC', 'LTC/BTC', 'XMR/BTC'] },
    }),
  )

  test('runs two strategies side by side, prints the tables and writes the result', async () => {
    const { code, out } = await capture(() =>
      backtestingCommand([
        '-c',
        cfg,
        '--strategy-list',
        'EmaCross',
        'RsiBollinger',
        '--timerange',
        '20180112-20180120',
        '--max-open-trades',
        '2',
        '--fee',
        '0.0025',
        '--log-level',
        'error',
        '--no-progress',
      ]),
    )
    expect(code).toBe(0)
    for (const title of [
      'BACKTESTING REPORT - EmaCross',
      'EXIT REASON STATS',
      'SUMMARY METRICS - RsiBollinger',
      'STRATEGY SUMMARY',
    ]) {
      expect(out).toContain(title)
    }
    expect(out).toContain('Backtesting from            ┃ 2018-01-12 00:00:00')
    const files = readdirSync(join(tmp.path, 'user_data', 'backtest_results'))
    expect(files.filter((f) => f.endsWith('.meta.json'))).toHaveLength(1)
  }, 20_000)

  test('backtesting-show re-prints the latest result', async () => {
    const { code, out } = await capture(() => backtestingShowCommand(['-c', cfg, '--log-level', 'error']))
    expect(code).toBe(0)
    expect(out).toContain('BACKTESTING REPORT - EmaCross')
    expect(out).toContain('STRATEGY SUMMARY')
  })

  test('--breakdown adds the periodic tables (none by default, as freqtrade prints them)', async () => {
    const plain = await capture(() => backtestingShowCommand(['-c', cfg, '--log-level', 'error']))
    expect(plain.out).not.toContain('BREAKDOWN')
    const { code, out } = await capture(() =>
      backtestingShowCommand(['-c', cfg, '--breakdown', 'month', 'day', '--log-level', 'error']),
    )
    expect(code).toBe(0)
    expect(out).toContain('MONTH BREAKDOWN - EmaCross')
    expect(out).toContain('DAY BREAKDOWN - RsiBollinger')
    expect(out).not.toContain('WEEK BREAKDOWN')
    // the run covers 2018-01-12..20: one month row, whose trade count is the strategy's
    const table = out.slice(out.indexOf('MONTH BREAKDOWN - EmaCross'))
    const row = table.split('\n').find((l) => l.includes('31/01/2018'))
    const total = out.slice(out.indexOf('SUMMARY METRICS - EmaCross')).match(/Total\/Daily Avg Trades\s+┃\s+(\d+)/)
    expect(row?.split('┃')[2]?.trim()).toBe(total?.[1])
  })

  test('--breakdown weekday: one row per day of the week with closes, Monday first, adding up to the trades', async () => {
    const { out } = await capture(() =>
      backtestingShowCommand(['-c', cfg, '--breakdown', 'weekday', '--log-level', 'error']),
    )
    const table = out.slice(
      out.indexOf('WEEKDAY BREAKDOWN - EmaCross'),
      out.indexOf('WEEKDAY BREAKDOWN - RsiBollinger'),
    )
    const days = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
    const rows = table.split('\n').filter((l) => days.some((d) => l.includes(`┃ ${d} `)))
    expect(rows.length).toBeGreaterThan(1)
    const order = rows.map((l) => days.findIndex((d) => l.includes(`┃ ${d} `)))
    expect(order).toEqual([...order].sort((a, b) => a - b))
    const trades = rows.reduce((sum, l) => sum + Number(l.split('┃')[2]?.trim()), 0)
    const total = out.slice(out.indexOf('SUMMARY METRICS - EmaCross')).match(/Total\/Daily Avg Trades\s+┃\s+(\d+)/)
    expect(String(trades)).toBe(total?.[1] ?? '')
  })

  test('a result stored without a breakdown (older files) gets it from its trades', async () => {
    const latest = await latestResultFile(join(tmp.path, 'user_data', 'backtest_results'))
    const result = JSON.parse(readFileSync(latest ?? '', 'utf8'))
    const rows = (name: string) =>
      result.strategy[name].periodic_breakdown.weekday as { date: string; trades: number }[]
    const expected = rows('EmaCross')
    for (const name of Object.keys(result.strategy)) delete result.strategy[name].periodic_breakdown.weekday
    const old = join(tmp.path, 'older-result.json')
    writeFileSync(old, JSON.stringify(result))
    const { out } = await capture(() =>
      backtestingShowCommand(['-c', cfg, '--backtest-filename', old, '--breakdown', 'weekday', '--log-level', 'error']),
    )
    const table = out.slice(out.indexOf('WEEKDAY BREAKDOWN - EmaCross'))
    for (const day of expected) expect(table).toMatch(new RegExp(`┃ ${day.date} +┃ +${day.trades} ┃`))
  })

  test('--backtest-directory, --notes and --starting-balance: the result lands there with its notes; show finds it there', async () => {
    const dir = join(tmp.path, 'elsewhere')
    const { code } = await capture(() =>
      backtestingCommand([
        '-c',
        cfg,
        '-s',
        'EmaCross',
        '--timerange',
        '20180112-20180114',
        '--backtest-directory',
        dir,
        '--notes',
        'first try',
        '--starting-balance',
        '0.05',
        '--cache',
        'none',
        '--log-level',
        'error',
        '--no-progress',
      ]),
    )
    expect(code).toBe(0)
    const meta = readdirSync(dir).filter((f) => f.endsWith('.meta.json'))
    expect(meta).toHaveLength(1)
    expect(JSON.parse(readFileSync(join(dir, meta[0]), 'utf8')).EmaCross.notes).toBe('first try')
    const stored = JSON.parse(readFileSync(join(dir, meta[0].replace('.meta.json', '.json')), 'utf8'))
    expect(stored.strategy.EmaCross.starting_balance).toBe(0.05)
    const shown = await capture(() =>
      backtestingShowCommand(['-c', cfg, '--export-directory', dir, '--log-level', 'error']),
    )
    expect(shown.out).toContain('BACKTESTING REPORT - EmaCross')
    // only EmaCross ran here: the latest result of the default folder has RsiBollinger too
    expect(shown.out).not.toContain('RsiBollinger')
  })

  test('unknown flags and bad numbers are usage errors', async () => {
    await expect(backtestingCommand(['-c', cfg, '--bogus'])).rejects.toBeInstanceOf(UsageError)
    await expect(backtestingCommand(['-c', cfg, '--fee', 'abc'])).rejects.toBeInstanceOf(UsageError)
    await expect(backtestingShowCommand(['-c', cfg, '--breakdown', 'hour'])).rejects.toBeInstanceOf(UsageError)
    await expect(backtestingCommand(['-c', cfg, '--cache', 'year'])).rejects.toBeInstanceOf(UsageError)
  })
})
