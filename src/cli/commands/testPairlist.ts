import { connectExchange } from '../../exchange/connect.ts'
import { evaluatePairlists, exchangePairlistSource, loadPlugins, precisionModeOf } from '../../plugins/index.ts'
import { COMMON_ARG_OPTIONS, configFromArgs, expandMultiValueFlags, parseCommandArgs, setupLogging } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/**
 * `tern test-pairlist`: builds the config's pairlist chain once against its exchange (freqtrade's `test-pairlist`) and
 * prints the whitelist, per quote currency with `--quote`: a list, one pair a line (`-1`) or JSON (`--print-json`).
 */
export async function testPairlistCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(expandMultiValueFlags(argv, ['--quote']), {
    ...COMMON_ARG_OPTIONS,
    quote: { type: 'string', multiple: true },
    'print-json': { type: 'boolean' },
    'one-column': { type: 'boolean', short: '1' },
  })
  if (values.help) {
    console.log(COMMANDS['test-pairlist']!.usage)
    return 0
  }
  setupLogging(values, { quiet: true })
  const { config } = configFromArgs(values)
  const registry = await loadPlugins({ pluginPaths: config.plugin_paths })
  const connection = await connectExchange(config)
  try {
    for (const quote of values.quote ?? [config.stake_currency]) {
      const { whitelist } = await evaluatePairlists(
        registry,
        {
          pairlists: config.pairlists ?? [{ method: 'StaticPairList' }],
          blacklist: config.exchange.pair_blacklist ?? [],
          stake_currency: quote,
        },
        exchangePairlistSource(connection.exchange),
        {
          pairWhitelist: config.exchange.pair_whitelist,
          timeframe: config.timeframe,
          precisionMode: precisionModeOf(connection.exchange),
        },
      )
      if (values['print-json']) console.log(JSON.stringify(whitelist))
      else if (values['one-column']) console.log(whitelist.join('\n'))
      else console.log(`Pairs for ${quote}: \n[${whitelist.map((p) => `'${p}'`).join(', ')}]`)
    }
  } finally {
    await connection.close()
  }
  return 0
}
