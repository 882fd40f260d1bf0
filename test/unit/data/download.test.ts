import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { downloadData, type OhlcvSource } from '../../../src/data/download.ts'
import { dataFilePath } from '../../../src/data/filenames.ts'
import { loadPairHistory } from '../../../src/data/history.ts'
import { allocOhlcv, type OhlcvColumns } from '../../../src/frame/ohlcv.ts'
import { ManualClock } from '../../../src/util/clock.ts'
import { timeframeToMs } from '../../../src/util/dates.ts'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tern-dl-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const T0 = Date.UTC(2024, 0, 1)
const H1 = 3_600_000

/** A deterministic market: candle k of a timeframe closes at 100 + k (k counted from the epoch). Records every call. */
class GeneratedMarket implements OhlcvSource {
  calls: { pair: string; timeframe: string; since: number; until?: number; returned: number }[] = []
  constructor(private readonly clock: ManualClock) {}
  async fetchOhlcv(pair: string, timeframe: string, sinceMs: number, untilMs?: number): Promise<OhlcvColumns> {
    const tf = timeframeToMs(timeframe)
    const first = Math.ceil(sinceMs / tf)
    // Like an exchange: up to the candle open now (still building), or untilMs.
    const last = Math.floor(Math.min(untilMs ?? Number.POSITIVE_INFINITY, this.clock.now()) / tf)
    const n = Math.max(0, last - first + 1)
    const c = allocOhlcv(n)
    for (let i = 0; i < n; i++) {
      const k = first + i
      c.date[i] = k * tf
      c.open[i] = 100 + k - 1
      c.high[i] = 100 + k + 0.5
      c.low[i] = 100 + k - 1.5
      c.close[i] = 100 + k
      c.volume[i] = pair.length + k
    }
    this.calls.push({ pair, timeframe, since: sinceMs, until: untilMs, returned: n })
    return c
  }
}

describe('downloadData', () => {
  test('a new pair gets the days asked for; a second run fetches only from the last candle on', async () => {
    const datadir = tempDir()
    const clock = new ManualClock(T0 + 30 * 60_000) // 2024-01-01 00:30
    const market = new GeneratedMarket(clock)
    // days: 1 → from 2023-12-31 00:00; closed 1h candles up to 23:00 (the 00:00 one is still open): 24.
    const first = await downloadData({
      source: market,
      datadir,
      pairs: ['ETH/USDT'],
      timeframes: ['1h'],
      days: 1,
      clock,
    })
    expect(market.calls).toEqual([
      { pair: 'ETH/USDT', timeframe: '1h', since: T0 - 24 * H1, until: undefined, returned: 25 },
    ])
    expect(first[0]).toMatchObject({ fetched: 24, added: 24, candles: 24, start: T0 - 24 * H1, end: T0 - H1 })
    expect(existsSync(dataFilePath(datadir, 'ETH/USDT', '1h', 'feather'))).toBe(true)

    // Three hours later: since = last stored candle (23:00), which is fetched again and replaced.
    clock.set(T0 + 3 * H1 + 60_000)
    const second = await downloadData({
      source: market,
      datadir,
      pairs: ['ETH/USDT'],
      timeframes: ['1h'],
      days: 1,
      clock,
    })
    expect(market.calls[1]).toEqual({
      pair: 'ETH/USDT',
      timeframe: '1h',
      since: T0 - H1,
      until: undefined,
      returned: 5,
    })
    // 23:00 (again), 00:00, 01:00, 02:00 are closed: 4 fetched, 3 new.
    expect(second[0]).toMatchObject({ fetched: 4, added: 3, candles: 27, end: T0 + 2 * H1 })
    const stored = await loadPairHistory({ datadir, pair: 'ETH/USDT', timeframe: '1h' })
    expect(stored.date.length).toBe(27)
    expect(stored.close[26]).toBe(100 + (T0 + 2 * H1) / H1)
    for (let i = 1; i < 27; i++) expect(stored.date[i] - stored.date[i - 1]).toBe(H1)
  })

  test('erase starts over; an earlier start re-downloads everything; timerange end is passed on', async () => {
    const datadir = tempDir()
    const clock = new ManualClock(T0 + 10 * H1)
    const market = new GeneratedMarket(clock)
    const opts = { source: market, datadir, pairs: ['A/B'], timeframes: ['1h'], clock, format: 'jsongz' as const }
    await downloadData({ ...opts, timerange: '20240101-' })
    expect(market.calls[0]).toMatchObject({ since: T0, returned: 11 })
    await downloadData({ ...opts, erase: true, timerange: { startMs: T0 + 5 * H1 } })
    expect(market.calls[1]).toMatchObject({ since: T0 + 5 * H1 })
    expect((await loadPairHistory({ datadir, pair: 'A/B', timeframe: '1h' })).date.length).toBe(5)
    // Start before the file's first candle: fetched again from that start, with the end passed on.
    const [r] = await downloadData({ ...opts, timerange: { startMs: T0 + 2 * H1, endMs: T0 + 8 * H1 } })
    expect(market.calls[2]).toEqual({
      pair: 'A/B',
      timeframe: '1h',
      since: T0 + 2 * H1,
      until: T0 + 8 * H1,
      returned: 7,
    })
    expect(r).toMatchObject({ candles: 7, start: T0 + 2 * H1, end: T0 + 8 * H1 })
  })

  test('progress: plain lines when not a terminal, bars on a terminal; a failing pair does not stop the others', async () => {
    const datadir = tempDir()
    const clock = new ManualClock(T0)
    const market = new GeneratedMarket(clock)
    const flaky: OhlcvSource = {
      fetchOhlcv: (pair, tf, since, until) =>
        pair === 'BAD/USDT' ? Promise.reject(new Error('pair not listed')) : market.fetchOhlcv(pair, tf, since, until),
    }
    const out = new PassThrough()
    let text = ''
    out.on('data', (b) => {
      text += b
    })
    const results = await downloadData({
      source: flaky,
      datadir,
      pairs: ['BAD/USDT', 'ETH/USDT'],
      timeframes: ['1h'],
      timerange: '20231231-',
      clock,
      progress: out,
    })
    expect(results.map((r) => r.error)).toEqual(['pair not listed', undefined])
    expect(text).toBe(
      'BAD/USDT 1h: failed: pair not listed\nETH/USDT 1h: 24 candles, 2023-12-31 00:00 → 2023-12-31 23:00 (+24 new)\n',
    )

    const tty = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    })
    let drawn = ''
    tty.on('data', (b) => {
      drawn += b
    })
    await downloadData({ source: market, datadir, pairs: ['ETH/USDT'], timeframes: ['1h'], clock, progress: tty })
    expect(drawn).toContain('ETH/USDT |')
    expect(drawn).toContain('1/1 timeframes')
  })

  test('a bad timeframe fails before anything is fetched', async () => {
    const clock = new ManualClock(T0)
    const market = new GeneratedMarket(clock)
    await expect(
      downloadData({ source: market, datadir: tempDir(), pairs: ['A/B'], timeframes: ['7x'], clock }),
    ).rejects.toThrow("invalid timeframe '7x'")
    expect(market.calls.length).toBe(0)
  })
})

/** The exchange side over real HTTP: a loopback server speaking Binance's /api/v3/klines, and a paging client. */
describe('downloadData over loopback HTTP', () => {
  test('Binance-style klines, paged 500 at a time, stored and counted', async () => {
    let requests = 0
    const server = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch(req) {
        requests++
        const u = new URL(req.url)
        const tf = timeframeToMs(u.searchParams.get('interval') ?? '')
        const start = Number(u.searchParams.get('startTime'))
        const end = Number(u.searchParams.get('endTime'))
        const limit = Number(u.searchParams.get('limit'))
        const rows: unknown[] = []
        for (let t = Math.ceil(start / tf) * tf; t <= end && rows.length < limit; t += tf) {
          const p = (t / tf) % 1000
          rows.push([t, `${p}.1`, `${p}.5`, `${p}.0`, `${p}.2`, '12.5', t + tf - 1, '0', 10, '0', '0', '0'])
        }
        return Response.json(rows)
      },
    })
    try {
      const base = `http://127.0.0.1:${server.port}`
      const clock = new ManualClock(T0)
      const source: OhlcvSource = {
        async fetchOhlcv(pair, timeframe, sinceMs, untilMs) {
          const tf = timeframeToMs(timeframe)
          const end = untilMs ?? clock.now()
          const pages: number[][] = []
          for (let since = sinceMs; since <= end; ) {
            const q = `symbol=${pair.replace('/', '')}&interval=${timeframe}&startTime=${since}&endTime=${end}&limit=500`
            const page = (await (await fetch(`${base}/api/v3/klines?${q}`)).json()) as (number | string)[][]
            if (page.length === 0) break
            for (const k of page) pages.push(k.slice(0, 6).map(Number))
            since = Number(page[page.length - 1][0]) + tf
          }
          const c = allocOhlcv(pages.length)
          pages.forEach((r, i) => {
            ;[c.date[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]] = r
          })
          return c
        },
      }
      const datadir = tempDir()
      // 2 days of 5m candles = 576 closed; the one opening at T0 is dropped as still open.
      const [r] = await downloadData({ source, datadir, pairs: ['BTC/USDT'], timeframes: ['5m'], days: 2, clock })
      expect(requests).toBe(2) // 577 candles: 500 + 77
      expect(r).toMatchObject({ fetched: 576, added: 576, candles: 576, start: T0 - 2 * 86_400_000, end: T0 - 300_000 })
      const c = await loadPairHistory({ datadir, pair: 'BTC/USDT', timeframe: '5m' })
      const p0 = ((T0 - 2 * 86_400_000) / 300_000) % 1000
      expect([c.open[0], c.high[0], c.low[0], c.close[0], c.volume[0]]).toEqual([
        p0 + 0.1,
        p0 + 0.5,
        p0,
        p0 + 0.2,
        12.5,
      ])
    } finally {
      server.stop(true)
    }
  })
})
