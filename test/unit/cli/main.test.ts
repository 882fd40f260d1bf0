import { afterAll, describe, expect, test } from 'bun:test'
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pkg from '../../../package.json' with { type: 'json' }
import { loadConfig } from '../../../src/config/load.ts'
import { analyze, loadStrategy, tagDictionaries } from '../../../src/strategy/index.ts'
import { tempDir } from '../../helpers/tmp.ts'
import { makeCandles } from '../strategy/candles.ts'

const MAIN = join(import.meta.dir, '..', '..', '..', 'src', 'cli', 'main.ts')
const dir = tempDir()
afterAll(dir.cleanup)

async function tern(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn(['bun', MAIN, ...args], {
    cwd: dir.path,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, ...env },
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  return { stdout, stderr, code }
}

describe('usage', () => {
  test('no command prints the command list and exits 2; --help exits 0', async () => {
    const none = await tern([])
    expect(none.code).toBe(2)
    expect(none.stdout).toContain('Commands:')
    const help = await tern(['--help'])
    expect(help.code).toBe(0)
    for (const c of ['trade', 'webserver', 'new-config', 'show-config', 'openapi', 'sim', 'download-data', 'list-data'])
      expect(help.stdout).toContain(c)
  })

  test('an unknown command or flag prints usage and exits 2', async () => {
    const cmd = await tern(['frobnicate'])
    expect(cmd.code).toBe(2)
    expect(cmd.stderr).toContain("unknown command 'frobnicate'")
    const flag = await tern(['show-config', '--no-such-flag'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain("Unknown option '--no-such-flag'")
    expect(flag.stderr).toContain('Usage: tern show-config')
  })

  test('each command has its own --help', async () => {
    for (const c of [
      'trade',
      'webserver',
      'new-config',
      'show-config',
      'openapi',
      'sim',
      'download-data',
      'list-data',
      'new-strategy',
      'convert-data',
      'show-trades',
      'test-pairlist',
      'list-markets',
      'list-pairs',
      'list-timeframes',
      'create-userdir',
      'list-exchanges',
    ]) {
      const r = await tern([c, '--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toStartWith(`Usage: tern ${c}`)
    }
  })

  test('--version names Tern, Bun and the engine settings the process started with', async () => {
    const { BUN_JSC_largeHeapSize: _, ...env } = process.env
    const plain = Bun.spawn(['bun', MAIN, '--version'], { cwd: dir.path, stdout: 'pipe', env })
    const text = await new Response(plain.stdout).text()
    expect(await plain.exited).toBe(0)
    expect(text).toBe(`tern ${pkg.version}\nBun ${Bun.version}\nengine settings: none\n`)
  })
})

describe('bin/tern', () => {
  const LAUNCHER = join(import.meta.dir, '..', '..', '..', 'bin', 'tern')
  const run = async (args: string[], env: Record<string, string | undefined>) => {
    const proc = Bun.spawn([LAUNCHER, ...args], { cwd: dir.path, stdout: 'pipe', stderr: 'pipe', env })
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ])
    return { stdout, stderr, code }
  }
  const { BUN_JSC_largeHeapSize: _, ...clean } = process.env

  test('starts the CLI with the settings of bin/runtime.env', async () => {
    const settings = readFileSync(join(LAUNCHER, '..', 'runtime.env'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
    expect(settings).toContain('BUN_JSC_largeHeapSize=67108864')
    const r = await run(['--version'], clean)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`engine settings: ${settings.sort().join(' ')}`)
  })

  test('a setting already in the environment keeps its value', async () => {
    const r = await run(['--version'], { ...clean, BUN_JSC_largeHeapSize: '33554432' })
    expect(r.stdout).toContain('engine settings: BUN_JSC_largeHeapSize=33554432')
  })

  test('finds its files through a chain of symlinks (as `bun link` installs it)', async () => {
    mkdirSync(join(dir.path, 'links', 'deeper'), { recursive: true })
    symlinkSync(LAUNCHER, join(dir.path, 'links', 'tern'))
    symlinkSync('../tern', join(dir.path, 'links', 'deeper', 'tern'))
    const proc = Bun.spawn([join(dir.path, 'links', 'deeper', 'tern'), '--version'], { stdout: 'pipe', env: clean })
    const text = await new Response(proc.stdout).text()
    expect(await proc.exited).toBe(0)
    expect(text).toContain('engine settings: BUN_JSC_largeHeapSize=67108864')
  })

  test('a line of bin/runtime.env that is not NAME=value stops it with a message', async () => {
    const bin = join(dir.path, 'badbin')
    mkdirSync(bin, { recursive: true })
    writeFileSync(join(bin, 'tern'), readFileSync(LAUNCHER))
    chmodSync(join(bin, 'tern'), 0o755)
    writeFileSync(join(bin, 'runtime.env'), '# comment\nBAD-NAME=1\n')
    const r = Bun.spawn([join(bin, 'tern'), '--version'], { stderr: 'pipe', env: clean })
    expect(await r.exited).toBe(2)
    expect(await new Response(r.stderr).text()).toContain("'BAD-NAME' is not a variable name")
  })

  test('passes the arguments and the exit code through', async () => {
    const r = await run(['frobnicate'], clean)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("unknown command 'frobnicate'")
    const help = await run(['show-config', '--help'], clean)
    expect(help.code).toBe(0)
    expect(help.stdout).toStartWith('Usage: tern show-config')
  })
})

describe('configs', () => {
  test('new-config writes a commented config that loads, with a generated password; it never overwrites', async () => {
    const first = await tern(['new-config', '-o', 'generated.json'])
    expect(first.code).toBe(0)
    const path = join(dir.path, 'generated.json')
    expect(readFileSync(path, 'utf8')).toStartWith('//')
    const { config } = loadConfig([path], {})
    expect(config.exchange.name).toBe('sim')
    expect(config.api_server.password.length).toBeGreaterThanOrEqual(24)
    expect(config.api_server.password).not.toBe('tern')
    const again = await tern(['new-config', '-o', 'generated.json'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('exists')
  })

  test('show-config prints the merged config with secrets hidden and env overrides applied', async () => {
    writeFileSync(
      join(dir.path, 'secret.json'),
      JSON.stringify({ exchange: { name: 'binance', key: 'K-123', secret: 'S-456' } }),
    )
    const r = await tern(['show-config', '-c', 'secret.json'], { TERN__MAX_OPEN_TRADES: '9' })
    expect(r.code).toBe(0)
    const shown = JSON.parse(r.stdout)
    expect(shown.max_open_trades).toBe(9)
    expect(shown.exchange.key).toBe('[REDACTED]')
    expect(r.stdout).not.toContain('K-123')
    expect(r.stdout).not.toContain('S-456')
  })

  test('a bad config: one line per problem, exit 1, no stack trace', async () => {
    writeFileSync(join(dir.path, 'bad.json'), JSON.stringify({ max_open_trades: 'x', api_server: { listen_port: -1 } }))
    const r = await tern(['show-config', '-c', 'bad.json'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      'Invalid configuration:\n  - max_open_trades: got "x", expected an integer >= -1\n  - api_server.listen_port: got -1, expected an integer >= 0 and <= 65535\n',
    )
  })

  test('a missing config file is named', async () => {
    const r = await tern(['show-config', '-c', 'missing.json'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("config file 'missing.json' does not exist")
  })
})

describe('openapi', () => {
  test('writes the document without a config, database or exchange', async () => {
    const r = await tern(['openapi', '-o', 'out/doc.json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(readFileSync(join(dir.path, 'out', 'doc.json'), 'utf8'))
    expect(doc.info.title).toBe('Tern REST API')
    expect(doc.paths['/api/v1/show_config']).toBeDefined()
    expect(existsSync(join(dir.path, 'user_data'))).toBe(false)
  })
})

describe('data and strategies against the simulated exchange', () => {
  test('download-data then list-data', async () => {
    writeFileSync(
      join(dir.path, 'sim.json'),
      JSON.stringify({ exchange: { name: 'sim', pair_whitelist: ['BTC/USDT'] }, user_data_dir: join(dir.path, 'ud') }),
    )
    const dl = await tern([
      'download-data',
      '-c',
      'sim.json',
      '--pairs',
      'BTC/USDT',
      'ETH/USDT',
      '-t',
      '1h',
      '--days',
      '2',
    ])
    expect(dl.code).toBe(0)
    expect(dl.stdout).toContain('BTC/USDT 1h:')
    expect(dl.stdout).toContain('ETH/USDT 1h:')
    expect(existsSync(join(dir.path, 'ud', 'data', 'sim', 'ETH_USDT-1h.feather'))).toBe(true)
    const list = await tern(['list-data', '-c', 'sim.json'])
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/ETH\/USDT\s+1h\s+feather/)
  })

  test('convert-data rewrites the downloaded feather files as json and back, --erase removing the source', async () => {
    // list-data's rows of one format, spaces collapsed
    const counts = (out: string, format: string) =>
      out
        .split('\n')
        .map((l) => l.replace(/\s+/g, ' ').trim())
        .filter((l) => l.includes(` ${format} `))
    const before = await tern(['list-data', '-c', 'sim.json'])
    const feather = counts(before.stdout, 'feather')
    expect(feather.length).toBe(2)
    const toJson = await tern(['convert-data', '-c', 'sim.json', '--format-from', 'feather', '--format-to', 'json'])
    expect(toJson.code).toBe(0)
    expect(toJson.stdout).toContain('ETH/USDT 1h:')
    const both = await tern(['list-data', '-c', 'sim.json'])
    // the same pairs, timeframes, ranges and candle counts in both formats
    expect(counts(both.stdout, 'json').map((l) => l.replace(' json ', ' X '))).toEqual(
      feather.map((l) => l.replace(' feather ', ' X ')),
    )
    const back = await tern([
      'convert-data',
      '-c',
      'sim.json',
      '--format-from',
      'json',
      '--format-to',
      'feather',
      '-p',
      'ETH/USDT',
      '--erase',
    ])
    expect(back.code).toBe(0)
    expect(back.stdout).toContain('(json file deleted)')
    expect(back.stdout).not.toContain('BTC/USDT')
    const after = await tern(['list-data', '-c', 'sim.json'])
    expect(counts(after.stdout, 'json').map((l) => l.split(' ')[0])).toEqual(['BTC/USDT'])
    expect(counts(after.stdout, 'feather')).toEqual(feather)
    const bad = await tern(['convert-data', '-c', 'sim.json', '--format-from', 'csv', '--format-to', 'json'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("--format-from: unknown data format 'csv'")
  })

  test('test-pairlist prints the whitelist that the pairlists of the config build on the exchange', async () => {
    const plain = await tern(['test-pairlist', '-c', 'sim.json'])
    expect(plain.code).toBe(0)
    expect(plain.stdout).toBe("Pairs for USDT: \n['BTC/USDT']\n")
    // VolumePairList on the simulator's tickers: the 2 USDT markets with the most quote volume
    const pairs = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT']
    writeFileSync(
      join(dir.path, 'vol.json'),
      JSON.stringify({
        exchange: { name: 'sim', pair_whitelist: pairs },
        pairlists: [{ method: 'VolumePairList', number_assets: 2, sort_key: 'quoteVolume' }],
        user_data_dir: join(dir.path, 'ud'),
      }),
    )
    const json = await tern(['test-pairlist', '-c', 'vol.json', '--print-json'])
    expect(json.code).toBe(0)
    const list = JSON.parse(json.stdout) as string[]
    expect(list.length).toBe(2)
    for (const p of list) expect(p).toEndWith('/USDT')
    const column = await tern(['test-pairlist', '-c', 'vol.json', '-1'])
    expect(column.stdout.trim().split('\n')).toEqual(list)
  })

  test('list-timeframes, list-markets and list-pairs read the exchange of the config', async () => {
    const tf = await tern(['list-timeframes', '-c', 'vol.json'])
    expect(tf.code).toBe(0)
    expect(tf.stdout).toMatch(/^Timeframes available for the exchange "sim": .*\b5m\b.*\b1h\b/)
    const all = JSON.parse((await tern(['list-pairs', '-c', 'vol.json', '--print-json'])).stdout) as string[]
    // the whitelist's pairs exist there (the simulator adds any it is asked for), sorted
    for (const p of ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT']) expect(all).toContain(p)
    expect(all).toEqual([...all].sort())
    const usdt = await tern(['list-markets', '-c', 'vol.json', '--quote', 'USDT', '-1'])
    const lines = usdt.stdout.trim().split('\n')
    expect(lines).toEqual(all.filter((p) => p.endsWith('/USDT')))
    const table = await tern(['list-markets', '-c', 'vol.json', '--base', 'BTC'])
    expect(table.stdout).toStartWith('Exchange sim has 1 market:')
    expect(table.stdout).toMatch(/┃ BTC\/USDT ┃ +BTC ┃ +USDT ┃ +yes ┃/)
  })

  test('list-strategies shows the three samples as loading', async () => {
    const r = await tern(['list-strategies'])
    expect(r.code).toBe(0)
    for (const name of ['EmaCross', 'RsiBollinger', 'InformativeTrend'])
      expect(r.stdout).toMatch(new RegExp(`${name}.*OK`))
  })
})

describe('list-exchanges', () => {
  test('the simulator first, then the ccxt exchanges, binance among them; -1 lists the ids', async () => {
    const ids = (await tern(['list-exchanges', '-1'])).stdout.trim().split('\n')
    expect(ids[0]).toBe('sim')
    expect(ids).toContain('binance')
    expect(ids.length).toBeGreaterThan(50)
    const table = await tern(['list-exchanges'])
    expect(table.stdout).toContain(`EXCHANGES (${ids.length})`)
    expect(table.stdout).toMatch(/┃ binance +┃ +yes ┃/)
  })
})

describe('create-userdir', () => {
  test('creates the folder and its subfolders once, leaving existing ones alone', async () => {
    const first = await tern(['create-userdir', '--userdir', 'mine'])
    expect(first.code).toBe(0)
    for (const f of ['strategies', 'data', 'backtest_results']) {
      expect(existsSync(join(dir.path, 'mine', f))).toBe(true)
      expect(first.stdout).toContain(join(dir.path, 'mine', f))
    }
    writeFileSync(join(dir.path, 'mine', 'strategies', 'keep.txt'), 'mine')
    const again = await tern(['create-userdir', '--userdir', 'mine'])
    expect(again.code).toBe(0)
    expect(again.stdout).not.toContain('created')
    expect(readFileSync(join(dir.path, 'mine', 'strategies', 'keep.txt'), 'utf8')).toBe('mine')
  })
})

describe('new-strategy', () => {
  test('writes a strategy that lists as loading and gives signals; never overwrites; bad input is a usage error', async () => {
    const made = await tern(['new-strategy', '-s', 'MyFirst', '--strategy-path', 'mystrats'])
    expect(made.code).toBe(0)
    const file = join(dir.path, 'mystrats', 'MyFirst.ts')
    expect(existsSync(file)).toBe(true)
    const minimal = await tern([
      'new-strategy',
      '-s',
      'MyMinimal',
      '--template',
      'minimal',
      '--strategy-path',
      'mystrats',
    ])
    expect(minimal.code).toBe(0)
    const list = await tern(['list-strategies', '--strategy-path', 'mystrats'])
    expect(list.stdout).toMatch(/MyFirst\s.*5m\s+OK/)
    expect(list.stdout).toMatch(/MyMinimal\s.*5m\s+OK/)
    // the written class runs: over 3,000 generated candles it enters and exits, with its tags
    const strategy = await loadStrategy('MyFirst', { strategyPath: join(dir.path, 'mystrats') })
    const df = analyze(strategy, makeCandles({ n: 3000, seed: 3 }), { pair: 'A/USDT', timeframe: '5m' })
    const count = (name: string) => df.col(name).reduce((n, v) => n + (v === 1 ? 1 : 0), 0)
    expect(count('enter_long')).toBeGreaterThan(5)
    expect(count('exit_long')).toBeGreaterThan(5)
    expect(tagDictionaries(df)).toEqual({ enter_tag: ['ema_cross_up'], exit_tag: ['ema_cross_down'] })

    const again = await tern(['new-strategy', '-s', 'MyFirst', '--strategy-path', 'mystrats'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('exists; pass --force')
    const bad = await tern(['new-strategy', '-s', '9Lives', '--strategy-path', 'mystrats'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("'9Lives' is not a class name")
    // without a folder, as freqtrade: into <user_data_dir>/strategies, which the loader searches too
    const home = await tern(['new-strategy', '-s', 'InUserData'])
    expect(home.code).toBe(0)
    expect(existsSync(join(dir.path, 'user_data', 'strategies', 'InUserData.ts'))).toBe(true)
    expect((await tern(['list-strategies'])).stdout).toMatch(/InUserData\s.*user_data\/strategies.*OK/)
    const none = await tern(['new-strategy', '--strategy-path', 'mystrats'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('--strategy: the new class name is required')
  })
})

describe('trade', () => {
  test('starts on the simulator, serves the API, iterates, and stops cleanly on SIGINT', async () => {
    const port = 19000 + Math.floor(Math.random() * 1000)
    writeFileSync(
      join(dir.path, 'trade.json'),
      JSON.stringify({
        api_server: { listen_port: port, password: 'trade-test-pw' },
        user_data_dir: join(dir.path, 'trade-ud'),
        internals: { process_throttle_secs: 0.2 },
      }),
    )
    const proc = Bun.spawn(
      ['bun', MAIN, 'trade', '-c', join(MAIN, '../../../config.example.json'), '-c', 'trade.json'],
      {
        cwd: dir.path,
        stdout: 'pipe',
        stderr: 'pipe',
      },
    )
    const auth = { authorization: `Basic ${btoa('tern:trade-test-pw')}` }
    let health: { last_process_ts: number | null } | undefined
    for (let i = 0; i < 100 && !health?.last_process_ts; i++) {
      await Bun.sleep(100)
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { headers: auth })
        if (res.ok) health = (await res.json()) as typeof health
      } catch {
        // not up yet
      }
    }
    expect(health?.last_process_ts).toBeNumber()
    const config = (await (await fetch(`http://127.0.0.1:${port}/api/v1/show_config`, { headers: auth })).json()) as {
      exchange: string
      runmode: string
      state: string
      strategy: string
      strategy_version: string | null
    }
    expect(config).toMatchObject({
      exchange: 'sim',
      runmode: 'dry_run',
      state: 'running',
      strategy: 'EmaCross',
      strategy_version: '1',
    })
    proc.kill('SIGINT')
    expect(await proc.exited).toBe(0)
    const out = await new Response(proc.stdout).text()
    expect(out).toContain('simulated exchange at http://127.0.0.1:')
    expect(out).toContain('candles up to')
  }, 30_000)
})
