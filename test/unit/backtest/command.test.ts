import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../../../src/cli/args.ts'
import { backtestingCommand, backtestingShowCommand } from '../../../src/cli/commands/backtesting.ts'
import { tempDir } from '../../helpers/tmp.ts'

const SHARED = join(import.meta.dir, '..', '..', '..', '..', 'shared', 'data')
const missing = !existsSync(join(SHARED, 'binance'))
if (missing) console.warn(`skipping backtesting command tests: ${SHARED} is absent`)

const tmp = tempDir('tern-btcli-')
afterAll(() => tmp.cleanup())

/** Runs a command, returning its exit code and what it printed. */
async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = []
  const orig = console.log
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(' '))
  try {
    return { code: await fn(), out: lines.join('\n') }
  } finally {
    console.log = orig
  }
}

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

  test('unknown flags and bad numbers are usage errors', async () => {
    await expect(backtestingCommand(['-c', cfg, '--bogus'])).rejects.toBeInstanceOf(UsageError)
    await expect(backtestingCommand(['-c', cfg, '--fee', 'abc'])).rejects.toBeInstanceOf(UsageError)
    await expect(backtestingShowCommand(['-c', cfg, '--breakdown', 'hour'])).rejects.toBeInstanceOf(UsageError)
    await expect(backtestingCommand(['-c', cfg, '--cache', 'year'])).rejects.toBeInstanceOf(UsageError)
  })
})
