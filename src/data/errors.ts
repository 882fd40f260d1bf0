/** A candle file that exists but cannot be read (bad JSON, wrong row width, not Arrow...). */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`)
    this.name = 'DataFileError'
  }
}

/** No candle file for a pair/timeframe in a data directory. */
export class NoDataError extends Error {
  constructor(
    readonly pair: string,
    readonly timeframe: string,
    readonly datadir: string,
  ) {
    super(`No data for ${pair} ${timeframe} in ${datadir}`)
    this.name = 'NoDataError'
  }
}
