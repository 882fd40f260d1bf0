/** Candle storage in freqtrade's data-directory layout, and download into it. */
export { cleanOhlcv, fillMissing, sliceOhlcv, trimOhlcv } from './clean.ts'
export { type DownloadDataOptions, type DownloadResult, downloadData, type OhlcvSource } from './download.ts'
export { DataFileError, NoDataError } from './errors.ts'
export { decodeFeather, decodeFeatherArrow, encodeFeather } from './feather.ts'
export { decodeFeatherDirect, readFeatherDirect } from './featherDirect.ts'
export {
  type CandleType,
  candleCacheDir,
  configDatadir,
  DATA_FORMATS,
  type DataFormat,
  dataFilename,
  dataFilePath,
  defaultDatadir,
  filenameToPair,
  pairToFilename,
  parseDataFormat,
} from './filenames.ts'
export {
  deletePairHistory,
  type FillCounts,
  findDataFile,
  type LoadedPair,
  type LoadPairHistoryOptions,
  loadPairCandles,
  loadPairHistory,
  logFillup,
  readCandleFile,
  readFeatherFile,
  type StorePairHistoryOptions,
  storePairHistory,
} from './history.ts'
export { decodeJson, decodeJsonGz, encodeJson, encodeJsonGz } from './json.ts'
export { type DataListRow, formatListData, listData } from './list.ts'
export { type LoadPairsHistoryOptions, loadPairsHistory, type PairHistory } from './loadPairs.ts'
export { daysBackStart, parseTimerange, type TimeRange } from './timerange.ts'
export { enoughWork } from './work.ts'
