import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { COMMON_ARG_OPTIONS, configFromArgs, parseCommandArgs, UsageError } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** Where Tern's sources are, for the imports of a strategy written anywhere. */
const SRC_DIR = resolve(import.meta.dir, '..', '..')

const TEMPLATES = ['minimal', 'full'] as const
type Template = (typeof TEMPLATES)[number]

/** The import path of one of Tern's modules from a strategy file in `dir`. */
function importPath(dir: string, module: string): string {
  const path = relative(dir, join(SRC_DIR, module)).split(sep).join('/')
  return path.startsWith('.') ? path : `./${path}`
}

/** An import statement as the formatter writes it: on one line when it fits in 120 columns, else one name a line. */
function importLine(names: string[], from: string, kind = ''): string {
  if (names.length === 0) return ''
  const one = `import ${kind}{ ${names.join(', ')} } from '${from}'`
  return one.length <= 120 ? one : `import ${kind}{\n${names.map((n) => `  ${n},\n`).join('')}} from '${from}'`
}

/** Callbacks the `full` template shows, commented out: each is called only when the strategy defines it. */
const CALLBACKS = `
  // Callbacks: uncomment what the strategy needs (each one is only called when it is defined), and import its context
  // type (CustomStoplossContext, CustomExitContext, ...) from where Strategy comes from.
  //
  // override customStoploss(ctx: CustomStoplossContext): number | undefined {
  //   // a new stop as a negative ratio below ctx.currentRate, or undefined to keep the current one
  //   return ctx.currentProfit > 0.02 ? -0.01 : undefined
  // }
  //
  // override customExit(ctx: CustomExitContext): string | boolean | undefined {
  //   // a reason (or true) exits now
  //   return ctx.nowMs - ctx.trade.openDateMs > 24 * 3_600_000 ? 'too_long' : undefined
  // }
  //
  // override confirmTradeEntry(ctx: ConfirmTradeEntryContext): boolean {
  //   return ctx.rate > 0
  // }
  //
  // override orderFilled(ctx: OrderFilledContext): void {
  //   // told of every order that filled, live and in backtests
  // }
  //
  // Position adjustment (DCA): set positionAdjustmentEnable = true (and maxEntryPositionAdjustment) to be asked
  // override adjustTradePosition(ctx: AdjustTradePositionContext): PositionAdjustmentReply {
  //   // a stake to add, a negative stake to sell part of the position, or undefined to leave it
  //   const first = ctx.trade.filledOrders('buy')[0]
  //   return ctx.currentProfit < -0.05 && first ? [first.filled * (first.average ?? first.price), 'dca'] : undefined
  // }
`

/** The source of a new strategy class `name` in `dir`. */
export function newStrategySource(name: string, dir: string, template: Template): string {
  return `${importLine(['Frame'], importPath(dir, 'frame/frame.ts'), 'type ')}
${importLine(['crossedAbove', 'crossedBelow'], importPath(dir, 'frame/ops.ts'))}
${importLine(['ema', 'rsi'], importPath(dir, 'indicators/index.ts'))}
${importLine(['IntParameter', 'type PairMeta', 'type PlotConfig', 'Strategy', 'TagColumn'], importPath(dir, 'strategy/index.ts'))}

/**
 * ${name}: enters when EMA(10) crosses above EMA(30) while RSI(14) is under 70, exits when it crosses back down.
 * A starting point: change the indicators and rules, then \`tern backtesting --strategy ${name}\`.
 */
export default class ${name} extends Strategy {
  timeframe = '5m'
  // stop 10 % below the entry; ROI: 4 % at once, 2 % after 30 minutes, 1 % after an hour
  stoploss = -0.1
  override minimalRoi = { 0: 0.04, 30: 0.02, 60: 0.01 }
  // candles the indicators need before their first value (loaded before a backtest's timerange)
  override startupCandleCount = 30
  override plotConfig: PlotConfig = {
    main_plot: { ema_fast: { color: 'orange' }, ema_slow: { color: 'blue' } },
    subplots: { RSI: { rsi: { color: 'purple' } } },
  }

  // a parameter, as freqtrade's: its value can come from a parameter file beside this one (${name}.json)
  buyRsiMax = new IntParameter(50, 90, { default: 70, space: 'buy' })

  populateIndicators(df: Frame, _meta: PairMeta): void {
    const close = df.col('close')
    df.set('ema_fast', ema(close, 10))
    df.set('ema_slow', ema(close, 30))
    df.set('rsi', rsi(close, 14))
  }

  populateEntryTrend(df: Frame, _meta: PairMeta): void {
    const up = crossedAbove(df.col('ema_fast'), df.col('ema_slow'))
    const r = df.col('rsi')
    const volume = df.col('volume')
    const rsiMax = this.buyRsiMax.value
    // 1 = enter on the next candle's open; only candles that traded
    for (let i = 0; i < up.length; i++) if (!(r[i] < rsiMax && volume[i] > 0)) up[i] = 0
    df.set('enter_long', up)
    TagColumn.of(df, 'enter_tag').fill(up, 'ema_cross_up')
  }

  populateExitTrend(df: Frame, _meta: PairMeta): void {
    const down = crossedBelow(df.col('ema_fast'), df.col('ema_slow'))
    df.set('exit_long', down)
    TagColumn.of(df, 'exit_tag').fill(down, 'ema_cross_down')
  }
${template === 'full' ? CALLBACKS : ''}}
`
}

/**
 * `tern new-strategy --strategy NAME`: writes a strategy class to start from (freqtrade's `new-strategy`) into
 * `--strategy-path`, the config's `strategy_path` or `<user_data_dir>/strategies`; never overwrites without --force.
 */
export function newStrategyCommand(argv: string[]): number {
  const values = parseCommandArgs(argv, {
    ...COMMON_ARG_OPTIONS,
    'strategy-path': { type: 'string' },
    template: { type: 'string' },
    force: { type: 'boolean' },
  })
  if (values.help) {
    console.log(COMMANDS['new-strategy']!.usage)
    return 0
  }
  const name = values.strategy
  if (!name) throw new UsageError('--strategy: the new class name is required (e.g. --strategy MyStrategy)')
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) {
    throw new UsageError(
      `--strategy: '${name}' is not a class name (letters, digits, _ and $, not starting with a digit)`,
    )
  }
  const template = (values.template ?? 'full') as Template
  if (!TEMPLATES.includes(template)) {
    throw new UsageError(`--template: expected minimal or full, got '${values.template}'`)
  }
  const { config } = configFromArgs(values, { optional: true })
  // as freqtrade: --strategy-path, else the config's strategy_path, else <user_data_dir>/strategies (all searched)
  const dir = resolve(values['strategy-path'] ?? config.strategy_path ?? join(config.user_data_dir, 'strategies'))
  const file = join(dir, `${name}.ts`)
  if (existsSync(file) && !values.force) {
    console.error(`${file} exists; pass --force to overwrite it`)
    return 1
  }
  mkdirSync(dir, { recursive: true })
  writeFileSync(file, newStrategySource(name, dir, template))
  const listed = values['strategy-path'] === undefined ? '' : ` --strategy-path ${dir}`
  console.log(`wrote ${file}; 'tern list-strategies${listed}' lists it`)
  return 0
}
