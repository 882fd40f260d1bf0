import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BASIC, startTestServer, type TestServer } from '../helpers/server.ts'
import { tempDir } from '../helpers/tmp.ts'

const ROOT = join(import.meta.dir, '..', '..')
const work = tempDir()
const strategyDir = join(work.path, 'strategies')

/** A user strategy with subplots and an option, in the strategy_path folder. */
const USER_STRATEGY = `
import type { Frame } from '${ROOT}/src/frame/frame.ts'
import { type PlotConfig, Strategy } from '${ROOT}/src/strategy/index.ts'

export class aLowerCaseStrategy extends Strategy {
  timeframe = '1h'
  stoploss = -0.2
  override plotConfig = { main_plot: { sma: {} }, options: { showTags: false } } as PlotConfig

  populateIndicators(_df: Frame): void {}
  populateEntryTrend(df: Frame): void {
    df.set('enter_long', new Float64Array(df.length))
  }
  populateExitTrend(df: Frame): void {
    df.set('exit_long', new Float64Array(df.length))
  }
}
`
/** A strategy file that cannot be imported. */
const BROKEN_STRATEGY = `throw new Error('this file is broken on purpose')\n`

let web: TestServer
let trade: TestServer
let tradeWithout: TestServer

beforeAll(async () => {
  mkdirSync(strategyDir, { recursive: true })
  writeFileSync(join(strategyDir, 'aLowerCaseStrategy.ts'), USER_STRATEGY)
  writeFileSync(join(strategyDir, 'Broken.ts'), BROKEN_STRATEGY)
  web = await startTestServer({ mode: 'webserver', config: { strategy_path: strategyDir } })
  trade = await startTestServer({ mode: 'trade', config: { strategy: 'EmaCross', strategy_path: strategyDir } })
  tradeWithout = await startTestServer({ mode: 'trade' })
})
afterAll(async () => {
  await web.stop()
  await trade.stop()
  await tradeWithout.stop()
  work.cleanup()
})

const get = async (server: TestServer, path: string) => {
  const res = await fetch(server.url(path), { headers: { authorization: BASIC } })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('/strategies', () => {
  test('loadable strategies of strategy_path and the built-in folder, in byte order (upper case first)', async () => {
    expect(await get(web, '/strategies')).toEqual({
      status: 200,
      body: { strategies: ['EmaCross', 'EmaCrossDca', 'InformativeTrend', 'RsiBollinger', 'aLowerCaseStrategy'] },
    })
  })

  test('needs authentication', async () => {
    const res = await fetch(web.url('/strategies'))
    expect(res.status).toBe(401)
  })
})

describe('/strategy/{strategy}', () => {
  test('name, the whole source file and the timeframe', async () => {
    const { status, body } = await get(web, '/strategy/EmaCross')
    expect(status).toBe(200)
    expect(body).toEqual({
      strategy: 'EmaCross',
      code: readFileSync(join(ROOT, 'strategies', 'EmaCross.ts'), 'utf8'),
      timeframe: '5m',
    })
    const user = await get(web, '/strategy/aLowerCaseStrategy')
    expect(user.body.timeframe).toBe('1h')
    expect(user.body.code).toBe(USER_STRATEGY)
  })

  test('unknown: 404; a file that fails to import: 502 naming it; a name with ":": the only 500', async () => {
    expect(await get(web, '/strategy/NoSuchStrategy')).toEqual({ status: 404, body: { detail: 'Strategy not found' } })
    const broken = await get(web, '/strategy/Broken')
    expect(broken.status).toBe(502)
    expect(broken.body.detail).toContain('Broken.ts')
    expect(broken.body.detail).toContain('this file is broken on purpose')
    expect(await get(web, '/strategy/EmaCross:aW1wb3J0')).toEqual({
      status: 500,
      body: { detail: 'base64 encoded strategies are not allowed.' },
    })
  })
})

describe('/plot_config', () => {
  test('a named strategy: its plot configuration with subplots always present', async () => {
    expect(await get(web, '/plot_config?strategy=EmaCross')).toEqual({
      status: 200,
      body: { main_plot: { ema_fast: { color: 'orange' }, ema_slow: { color: 'blue' } }, subplots: {} },
    })
    expect((await get(web, '/plot_config?strategy=RsiBollinger')).body.subplots).toEqual({
      RSI: { rsi: { color: 'purple' } },
    })
    expect((await get(web, '/plot_config?strategy=aLowerCaseStrategy')).body).toEqual({
      main_plot: { sma: {} },
      subplots: {},
      options: { showTags: false },
    })
  })

  test('a strategy without a plot configuration: {}', async () => {
    const dir = join(work.path, 'plain')
    mkdirSync(dir)
    writeFileSync(
      join(dir, 'Plain.ts'),
      USER_STRATEGY.replace('aLowerCaseStrategy', 'Plain').replace(/override plotConfig.*\n/, ''),
    )
    const server = await startTestServer({ mode: 'webserver', config: { strategy_path: dir } })
    try {
      expect(await get(server, '/plot_config?strategy=Plain')).toEqual({ status: 200, body: {} })
    } finally {
      await server.stop()
    }
  })

  test("trade mode without a name: the bot's strategy; {} when the bot has none", async () => {
    expect((await get(trade, '/plot_config')).body).toEqual({
      main_plot: { ema_fast: { color: 'orange' }, ema_slow: { color: 'blue' } },
      subplots: {},
    })
    expect(await get(tradeWithout, '/plot_config?strategy=')).toEqual({ status: 200, body: {} })
  })

  test('webserver mode without a name: RPC error; a strategy that does not load: 502 detail', async () => {
    expect(await get(web, '/plot_config?strategy=None')).toEqual({
      status: 502,
      body: { error: 'Error querying /api/v1/plot_config: Strategy is mandatory in webserver mode.' },
    })
    const unknown = await get(web, '/plot_config?strategy=NoSuchStrategy')
    expect(unknown.status).toBe(502)
    expect(unknown.body.detail).toStartWith("unknown strategy 'NoSuchStrategy'")
  })
})
