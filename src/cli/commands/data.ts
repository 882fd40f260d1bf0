import {
  configDatadir,
  deletePairHistory,
  downloadData,
  formatListData,
  listData,
  parseDataFormat,
  readCandleFile,
  storePairHistory,
} from '../../data/index.ts'
import { connectExchange } from '../../exchange/connect.ts'
import { mapOhlcv, type OhlcvColumns } from '../../frame/ohlcv.ts'
import {
  COMMON_ARG_OPTIONS,
  configFromArgs,
  expandMultiValueFlags,
  parseCommandArgs,
  setupLogging,
  UsageError,
} from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** Keeps the candles that open before `untilMs`. */
function before(candles: OhlcvColumns, untilMs: number | undefined): OhlcvColumns {
  if (untilMs === undefined) return candles
  let n = candles.date.length
  while (n > 0 && candles.date[n - 1]! >= untilMs) n--
  return mapOhlcv(candles, (a) => a.subarray(0, n))
}

/** `tern download-data`: candles from the configured exchange into the data directory, incrementally. */
export async function downloadDataCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(expandMultiValueFlags(argv, ['--pairs', '-p', '--timeframes', '-t']), {
    ...COMMON_ARG_OPTIONS,
    pairs: { type: 'string', short: 'p', multiple: true },
    timeframes: { type: 'string', short: 't', multiple: true },
    timerange: { type: 'string' },
    days: { type: 'string' },
    erase: { type: 'boolean' },
    'data-format': { type: 'string' },
  })
  if (values.help) {
    console.log(COMMANDS['download-data']!.usage)
    return 0
  }
  setupLogging(values)
  const { config } = configFromArgs(values)
  const pairs = values.pairs ?? config.exchange.pair_whitelist
  if (pairs.length === 0) throw new UsageError('no pairs: pass --pairs or set exchange.pair_whitelist')
  const days = values.days === undefined ? undefined : Number(values.days)
  if (days !== undefined && !(days > 0))
    throw new UsageError(`--days: expected a positive number, got '${values.days}'`)
  const format = parseDataFormat(values['data-format'] ?? config.dataformat_ohlcv ?? 'feather')
  const connection = await connectExchange({ ...config, exchange: { ...config.exchange, pair_whitelist: pairs } })
  try {
    const results = await downloadData({
      source: {
        fetchOhlcv: async (pair, timeframe, sinceMs, untilMs) =>
          before(await connection.exchange.fetchOhlcv(pair, timeframe, sinceMs), untilMs),
      },
      datadir: configDatadir(config),
      pairs,
      timeframes: values.timeframes ?? [config.timeframe ?? '5m'],
      timerange: values.timerange,
      days,
      erase: values.erase,
      format,
      progress: process.stdout,
    })
    const failed = results.filter((r) => r.error)
    for (const r of failed) console.error(`${r.pair} ${r.timeframe}: ${r.error}`)
    return failed.length > 0 ? 1 : 0
  } finally {
    await connection.close()
  }
}

/** `tern list-data`: pairs, timeframes, ranges and candle counts in the data directory. */
export async function listDataCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, COMMON_ARG_OPTIONS)
  if (values.help) {
    console.log(COMMANDS['list-data']!.usage)
    return 0
  }
  const { config } = configFromArgs(values, { optional: true })
  const datadir = configDatadir(config)
  const rows = await listData(datadir)
  console.log(rows.length === 0 ? `no candle data in ${datadir}` : formatListData(rows))
  return 0
}

/**
 * `tern convert-data --format-from json --format-to feather`: rewrites the candle files of one format in the data
 * directory in another (freqtrade's `convert-data`), optionally only some pairs and timeframes; `--erase` deletes each
 * source file once its copy is written.
 */
export async function convertDataCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(expandMultiValueFlags(argv, ['--pairs', '-p', '--timeframes', '-t']), {
    ...COMMON_ARG_OPTIONS,
    'format-from': { type: 'string' },
    'format-to': { type: 'string' },
    pairs: { type: 'string', short: 'p', multiple: true },
    timeframes: { type: 'string', short: 't', multiple: true },
    erase: { type: 'boolean' },
  })
  if (values.help) {
    console.log(COMMANDS['convert-data']!.usage)
    return 0
  }
  setupLogging(values)
  if (values['format-from'] === undefined || values['format-to'] === undefined) {
    throw new UsageError('--format-from and --format-to are both required (feather, json or jsongz)')
  }
  const format = (flag: 'format-from' | 'format-to') => {
    try {
      return parseDataFormat(values[flag] as string)
    } catch (err) {
      throw new UsageError(`--${flag}: ${(err as Error).message}`)
    }
  }
  const from = format('format-from')
  const to = format('format-to')
  if (from === to) throw new UsageError(`--format-from and --format-to are both '${from}': nothing to convert`)
  const { config } = configFromArgs(values, { optional: true })
  const datadir = configDatadir(config)
  const rows = (await listData(datadir)).filter(
    (r) =>
      r.format === from &&
      (values.pairs === undefined || values.pairs.includes(r.pair)) &&
      (values.timeframes === undefined || values.timeframes.includes(r.timeframe)),
  )
  if (rows.length === 0) {
    console.log(`no ${from} candle files to convert in ${datadir}`)
    return 0
  }
  for (const r of rows) {
    const candles = await readCandleFile(r.file, from)
    const file = await storePairHistory({
      datadir,
      pair: r.pair,
      timeframe: r.timeframe,
      format: to,
      candles,
      candleType: r.candleType,
    })
    if (values.erase) await deletePairHistory(datadir, r.pair, r.timeframe, from, r.candleType)
    console.log(
      `${r.pair} ${r.timeframe}: ${r.candles} candles -> ${file}${values.erase ? ` (${from} file deleted)` : ''}`,
    )
  }
  return 0
}
