import { textTable } from '../../backtest/tables.ts'
import { connectExchange } from '../../exchange/connect.ts'
import { exchangeCatalogue } from '../../rpc/catalogues.ts'
import { COMMON_ARG_OPTIONS, configFromArgs, expandMultiValueFlags, parseCommandArgs, setupLogging } from '../args.ts'
import { COMMANDS } from '../usage.ts'

// What an exchange offers, listed: markets and pairs, timeframes, and the exchanges themselves.

/**
 * `tern list-markets` / `tern list-pairs` (freqtrade's, spot only here, so both list the same): the exchange's
 * markets, filtered by quote and base currency and by `--active-only`, as a table, one symbol a line (`-1`), a
 * comma-separated list (`--print-list`) or JSON (`--print-json`).
 */
export async function listMarketsCommand(argv: string[], command: 'list-markets' | 'list-pairs'): Promise<number> {
  const values = parseCommandArgs(expandMultiValueFlags(argv, ['--quote', '--base']), {
    ...COMMON_ARG_OPTIONS,
    quote: { type: 'string', multiple: true },
    base: { type: 'string', multiple: true },
    'active-only': { type: 'boolean' },
    'print-json': { type: 'boolean' },
    'print-list': { type: 'boolean' },
    'one-column': { type: 'boolean', short: '1' },
  })
  if (values.help) {
    console.log(COMMANDS[command]!.usage)
    return 0
  }
  setupLogging(values, { quiet: true })
  const { config } = configFromArgs(values)
  const connection = await connectExchange(config)
  try {
    const ex = connection.exchange
    const markets = ex
      .symbols()
      .map((s) => ex.market(s))
      .filter(
        (m) =>
          (values.quote === undefined || values.quote.includes(m.quote)) &&
          (values.base === undefined || values.base.includes(m.base)) &&
          (!values['active-only'] || m.active),
      )
      .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    const symbols = markets.map((m) => m.symbol)
    if (values['print-json']) console.log(JSON.stringify(symbols))
    else if (values['one-column']) console.log(symbols.join('\n'))
    else if (values['print-list']) console.log(symbols.join(','))
    else {
      const quotes = values.quote ? ` with ${values.quote.join(', ')} as quote currencies` : ''
      const what = `${values['active-only'] ? 'active ' : ''}market${markets.length === 1 ? '' : 's'}`
      console.log(`Exchange ${ex.id} has ${markets.length} ${what}${quotes}${markets.length ? ':' : '.'}`)
      if (markets.length > 0) {
        console.log(
          textTable(
            `${ex.id.toUpperCase()} MARKETS`,
            ['Symbol', 'Base', 'Quote', 'Active', 'Tick', 'Step', 'Min amount', 'Min cost'],
            markets.map((m) => [
              m.symbol,
              m.base,
              m.quote,
              m.active ? 'yes' : 'no',
              m.precision.price ?? '',
              m.precision.amount ?? '',
              m.limits.amount.min ?? '',
              m.limits.cost.min ?? '',
            ]),
          ),
        )
      }
    }
  } finally {
    await connection.close()
  }
  return 0
}

/** `tern list-timeframes`: the candle timeframes the configured exchange offers (freqtrade's `list-timeframes`). */
export async function listTimeframesCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, { ...COMMON_ARG_OPTIONS, 'one-column': { type: 'boolean', short: '1' } })
  if (values.help) {
    console.log(COMMANDS['list-timeframes']!.usage)
    return 0
  }
  setupLogging(values, { quiet: true })
  const { config } = configFromArgs(values)
  const connection = await connectExchange(config)
  try {
    const timeframes = connection.exchange.timeframes()
    if (values['one-column']) console.log(timeframes.join('\n'))
    else console.log(`Timeframes available for the exchange "${connection.exchange.id}": ${timeframes.join(', ')}`)
  } finally {
    await connection.close()
  }
  return 0
}

/** `tern list-exchanges`: the exchanges ccxt speaks, and the simulator (freqtrade's `list-exchanges`). */
export function listExchangesCommand(argv: string[]): number {
  const values = parseCommandArgs(argv, {
    help: { type: 'boolean', short: 'h' },
    'one-column': { type: 'boolean', short: '1' },
  })
  if (values.help) {
    console.log(COMMANDS['list-exchanges']!.usage)
    return 0
  }
  const { exchanges } = exchangeCatalogue()
  if (values['one-column']) console.log(exchanges.map((e) => e.classname).join('\n'))
  else {
    console.log(
      textTable(
        `EXCHANGES (${exchanges.length})`,
        ['Exchange', 'Tested with Tern', 'Note'],
        exchanges.map((e) => [e.classname, e.supported ? 'yes' : '', e.comment]),
      ),
    )
  }
  return 0
}
