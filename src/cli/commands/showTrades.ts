import { existsSync } from 'node:fs'
import { inArray } from 'drizzle-orm'
import { textTable } from '../../backtest/tables.ts'
import { openDatabase } from '../../db/database.ts'
import { trades } from '../../db/schema.ts'
import { filePathOf, maskDbUrl, resolveDbUrl } from '../../db/url.ts'
import { loadTrades } from '../../rpc/trades.ts'
import { baseTradeView } from '../../rpc/tradeView.ts'
import {
  COMMON_ARG_OPTIONS,
  configFromArgs,
  expandMultiValueFlags,
  parseCommandArgs,
  setupLogging,
  UsageError,
} from '../args.ts'
import { COMMANDS } from '../usage.ts'

/**
 * `tern show-trades`: the trades of the bot's database (freqtrade's `show-trades`), all or `--trade-ids`, as a table
 * or, with `--print-json`, as the API's trade objects.
 */
export async function showTradesCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(expandMultiValueFlags(argv, ['--trade-ids']), {
    ...COMMON_ARG_OPTIONS,
    'trade-ids': { type: 'string', multiple: true },
    'print-json': { type: 'boolean' },
  })
  if (values.help) {
    console.log(COMMANDS['show-trades']!.usage)
    return 0
  }
  setupLogging(values, { quiet: true })
  const ids = (values['trade-ids'] ?? []).map((v) => {
    const id = Number(v)
    if (!Number.isInteger(id) || id < 1) throw new UsageError(`--trade-ids: expected trade numbers, got '${v}'`)
    return id
  })
  const { config } = configFromArgs(values, { optional: true })
  const target = resolveDbUrl(config.db_url, { dryRun: config.dry_run, userDataDir: config.user_data_dir })
  // reading must not create an empty database where none was
  const file = filePathOf(target.url)
  if (target.kind === 'file' && file !== undefined && !existsSync(file)) {
    throw new Error(`no database at ${file} (set db_url or pass --db-url)`)
  }
  const database = await openDatabase(target)
  try {
    const rows = await loadTrades(database.db, ids.length > 0 ? { where: inArray(trades.id, ids) } : {})
    const views = rows.map(baseTradeView)
    if (values['print-json']) {
      console.log(JSON.stringify(views, null, 2))
      return 0
    }
    if (views.length === 0) {
      console.log(`no trades in ${maskDbUrl(target.url)}`)
      return 0
    }
    const cells = views.map((t) => [
      t.trade_id,
      t.pair,
      t.open_date,
      t.close_date ?? '',
      t.open_rate,
      t.close_rate ?? '',
      t.amount,
      t.is_open ? '' : (t.profit_pct ?? 0).toFixed(2),
      t.is_open ? '' : (t.profit_abs ?? 0),
      t.is_open ? 'open' : (t.exit_reason ?? ''),
    ])
    console.log(
      textTable(
        `TRADES - ${maskDbUrl(target.url)}`,
        ['ID', 'Pair', 'Open date', 'Close date', 'Open rate', 'Close rate', 'Amount', 'Profit %', 'Profit', 'Exit'],
        cells,
      ),
    )
    return 0
  } finally {
    database.close()
  }
}
