import { afterAll, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../helpers/tmp.ts'

const ROOT = join(import.meta.dir, '..', '..')
const dir = tempDir('tern-dry-restart-')
afterAll(dir.cleanup)

const PORT = 21000 + Math.floor(Math.random() * 1000)
const AUTH = { authorization: `Basic ${btoa('tern:restart-pw')}`, 'content-type': 'application/json' }
const api = (path: string) => `http://127.0.0.1:${PORT}/api/v1${path}`

function startBot() {
  return Bun.spawn(['bun', join(ROOT, 'src/cli/main.ts'), 'trade', '-c', join(dir.path, 'config.json')], {
    cwd: dir.path,
    stdout: 'ignore',
    stderr: 'ignore',
    env: { ...process.env, TERN_TEST_HOLD_MS: '3600000' },
  })
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = performance.now() + ms
  while (performance.now() < end) {
    try {
      const v = await probe()
      if (v !== undefined) return v
    } catch {
      // not up yet
    }
    await Bun.sleep(100)
  }
  throw new Error(`timed out waiting for ${what}`)
}

interface Filled {
  trade_id: number
  amount: number
  open_fill_timestamp: number | null
  has_open_orders: boolean
}

const json = async (path: string, init: RequestInit = {}) =>
  (await (await fetch(api(path), { ...init, headers: AUTH })).json()) as Record<string, unknown> & unknown[]

test('a dry-run bot killed with SIGKILL restarts with its trade and a wallet that can still sell it', async () => {
  writeFileSync(
    join(dir.path, 'config.json'),
    JSON.stringify({
      dry_run: true,
      dry_run_wallet: 1000,
      stake_currency: 'USDT',
      stake_amount: 100,
      max_open_trades: 1,
      strategy: 'EnterOften',
      strategy_path: join(ROOT, 'test/unit/engine/fixtures/strategies'),
      analysis_workers: 0,
      initial_state: 'running',
      force_entry_enable: true,
      order_types: { entry: 'market', exit: 'market' },
      entry_pricing: { price_side: 'other' },
      exit_pricing: { price_side: 'other' },
      exchange: { name: 'sim', pair_whitelist: ['ETH/USDT'], sim: { seed: 7, speed: 60 } },
      api_server: { enabled: true, listen_port: PORT, username: 'tern', password: 'restart-pw' },
      internals: { process_throttle_secs: 0.2 },
      user_data_dir: join(dir.path, 'user_data'),
    }),
  )
  const first = startBot()
  // a trade whose entry has filled (a kill before the fill is recorded drops the entry instead: engineCrash.test.ts)
  const opened = await until('a filled entry', async () => {
    const status = (await json('/status')) as unknown as Filled[]
    const t = status[0]
    return t && t.open_fill_timestamp !== null && !t.has_open_orders ? t : undefined
  })
  first.kill('SIGKILL')
  await first.exited

  const second = startBot()
  try {
    const status = await until('the restarted bot', async () => {
      const s = await json('/status')
      return Array.isArray(s) ? (s as { trade_id: number; amount: number }[]) : undefined
    })
    expect(status.map((t) => t.trade_id)).toEqual([opened.trade_id])
    const balance = (await json('/balance')) as unknown as { currencies: { currency: string; free: number }[] }
    const eth = balance.currencies.find((c) => c.currency === 'ETH')
    expect(eth?.free).toBeCloseTo(opened.amount, 8)
    const exit = (await json('/forceexit', {
      method: 'POST',
      body: JSON.stringify({ tradeid: opened.trade_id }),
    })) as unknown
    expect(exit).toEqual({ result: `Created exit order for trade ${opened.trade_id}.` })
    const closed = await until('the exit to fill', async () => {
      const t = (await json(`/trade/${opened.trade_id}`)) as unknown as { is_open: boolean; exit_reason: string }
      return t.is_open ? undefined : t
    })
    expect(closed.exit_reason).toBe('force_exit')
  } finally {
    second.kill()
    await second.exited
  }
}, 60_000)
