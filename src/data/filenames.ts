import { join } from 'node:path'

/** Storage formats, named as freqtrade's `dataformat_ohlcv`. */
export type DataFormat = 'feather' | 'json' | 'jsongz'

export const DATA_FORMATS: readonly DataFormat[] = ['feather', 'jsongz', 'json']

const EXTENSIONS: Record<DataFormat, string> = { feather: 'feather', json: 'json', jsongz: 'json.gz' }

/** Candle types as freqtrade names them; everything but spot lives in `<datadir>/futures`. */
export type CandleType = 'spot' | 'futures' | 'mark' | 'index' | 'premiumIndex' | 'funding_rate'

/** `feather`, `json`, `jsongz` (or `json.gz`) → the format; throws on anything else. */
export function parseDataFormat(text: string): DataFormat {
  if (text === 'json.gz') return 'jsongz'
  if (text === 'feather' || text === 'json' || text === 'jsongz') return text
  throw new Error(`unknown data format '${text}': expected one of feather, json, jsongz`)
}

export function formatExtension(format: DataFormat): string {
  return EXTENSIONS[format]
}

/** `ETH/BTC` → `ETH_BTC`, `ETH/USDT:USDT` → `ETH_USDT_USDT` (freqtrade's `pair_to_filename`). */
export function pairToFilename(pair: string): string {
  return pair.replace(/[/ .@$+:]/g, '_')
}

/** `1M` is written `1Mo` so that it differs from `1m` on case-insensitive filesystems. */
function timeframeToFile(timeframe: string): string {
  return timeframe.replace('M', 'Mo')
}

function timeframeFromFile(text: string): string {
  return text.replace(/1mo/i, '1M')
}

/** Rebuild the pair from a file stem: the first `_` is the `/`, the second the settle `:`. */
function pairFromStem(stem: string): string {
  const slashed = stem.replace(/^(([A-Za-z\d]{1,10})|^([A-Za-z-]{1,6}))(_)/, '$1/')
  return slashed.replace('_', ':')
}

/** The file name (no directory) for a pair/timeframe/format, e.g. `ETH_BTC-5m.feather`. */
export function dataFilename(pair: string, timeframe: string, format: DataFormat, candleType: CandleType = 'spot') {
  const suffix = candleType === 'spot' ? '' : `-${candleType}`
  return `${pairToFilename(pair)}-${timeframeToFile(timeframe)}${suffix}.${EXTENSIONS[format]}`
}

/** Full path of a candle file in `datadir` (non-spot candles go to `datadir/futures`). */
export function dataFilePath(
  datadir: string,
  pair: string,
  timeframe: string,
  format: DataFormat,
  candleType: CandleType = 'spot',
): string {
  const dir = candleType === 'spot' ? datadir : join(datadir, 'futures')
  return join(dir, dataFilename(pair, timeframe, format, candleType))
}

export interface ParsedFilename {
  pair: string
  timeframe: string
  format: DataFormat
  candleType: CandleType
}

const FILE_RE = /^([a-zA-Z_\d-]+)-(\d+[a-zA-Z]{1,2})-?([a-zA-Z_]*)\.(feather|json\.gz|json)$/
const CANDLE_TYPES = new Set<string>(['spot', 'futures', 'mark', 'index', 'premiumIndex', 'funding_rate'])

/** `ETH_BTC-5m.feather` → { pair: 'ETH/BTC', timeframe: '5m', format: 'feather' }; undefined if not a candle file. */
export function filenameToPair(filename: string): ParsedFilename | undefined {
  const m = FILE_RE.exec(filename)
  if (!m) return undefined
  const candleType = m[3] === '' ? 'spot' : m[3]
  if (!CANDLE_TYPES.has(candleType)) return undefined
  return {
    pair: pairFromStem(m[1]),
    timeframe: timeframeFromFile(m[2]),
    format: parseDataFormat(m[4]),
    candleType: candleType as CandleType,
  }
}

/** freqtrade's default data directory: `<user_data_dir>/data/<exchange>`. */
export function defaultDatadir(userDataDir: string, exchangeName: string): string {
  return join(userDataDir, 'data', exchangeName.toLowerCase())
}

/**
 * Where backtests and `/pair_history` keep the candles they decoded, to map them on later reads
 * (`<user_data_dir>/cache/candles`), or undefined with `candle_cache: false`.
 */
export function candleCacheDir(config: { user_data_dir: string; candle_cache?: boolean }): string | undefined {
  return config.candle_cache === false ? undefined : join(config.user_data_dir, 'cache', 'candles')
}

/** The candle directory of a configuration: `datadir` as given, else the default under `user_data_dir`. */
export function configDatadir(config: { datadir?: string; user_data_dir: string; exchange: { name: string } }): string {
  return config.datadir ?? defaultDatadir(config.user_data_dir, config.exchange.name)
}
