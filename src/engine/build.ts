import type { Config } from '../config/schema.ts'
import type { Db } from '../db/database.ts'
import type { Broker } from '../exchange/broker.ts'
import type { Exchange } from '../exchange/exchange.ts'
import { exchangePairlistSource, precisionModeOf } from '../plugins/exchangeSource.ts'
import { loadPlugins } from '../plugins/loader.ts'
import { PairlistManager } from '../plugins/pairlistManager.ts'
import { ProtectionManager } from '../plugins/protectionManager.ts'
import { createAnalyzerFromConfig } from '../strategy/createAnalyzer.ts'
import { strategySearchOf } from '../strategy/loader.ts'
import { loadReadyStrategy } from '../strategy/readyStrategy.ts'
import { protectionsOf } from '../strategy/settings.ts'
import type { Clock } from '../util/clock.ts'
import { timeframeToMs } from '../util/dates.ts'
import { Bot } from './bot.ts'
import type { EventBus } from './events.ts'
import { AnalyzeStep } from './steps/analyze.ts'
import { PairlistStep } from './steps/pairlist.ts'
import { RefreshCandlesStep } from './steps/refreshCandles.ts'
import { AdjustPositionsStep, EntriesStep, ExitsStep, ManageOrdersStep, ReconcileStep } from './steps/trade.ts'
import { Trader } from './trader.ts'
import { TraderCommands } from './traderCommands.ts'
import { TradeStore } from './tradeStore.ts'

export interface TradingBotOptions {
  config: Config
  db: Db
  exchange: Exchange
  broker: Broker
  clock: Clock
  events?: EventBus
  loopClock?: Clock
}

export interface TradingBot {
  bot: Bot
  trader: Trader
}

/**
 * A bot that trades: the configured strategy analysed on every new candle, then the iteration of reconcile (once
 * after a start), candles, analysis, orders, exits and entries. The bot offers the trader's commands and prices to
 * the RPC layer and its analysed frames to `/pair_candles`.
 */
export async function buildTradingBot(o: TradingBotOptions): Promise<TradingBot> {
  if (!o.config.strategy) throw new Error("no strategy configured: set 'strategy' in the config or pass --strategy")
  const { strategy, settings } = await loadReadyStrategy(o.config.strategy, strategySearchOf(o.config), o.config)
  const analyzer = await createAnalyzerFromConfig(o.config)
  // pairlist and protection plugins: validated here, so a bad block fails the start with its name
  const registry = await loadPlugins({ pluginPaths: o.config.plugin_paths })
  // as in freqtrade, protections (the config's, else the strategy's) always apply to a trading bot;
  // `enable_protections` is for backtests
  const protectionBlocks = protectionsOf(strategy, o.config.protections)
  const protections =
    protectionBlocks.length > 0
      ? ProtectionManager.create(registry, protectionBlocks, { timeframe: settings.timeframe })
      : undefined
  const pairlists = PairlistManager.create(registry, o.config.pairlists ?? [{ method: 'StaticPairList' }], {
    stakeCurrency: o.config.stake_currency,
    pairWhitelist: o.config.exchange.pair_whitelist,
    blacklist: o.config.exchange.pair_blacklist,
    timeframe: settings.timeframe,
    stoploss: settings.stoploss,
    precisionMode: precisionModeOf(o.exchange),
  })
  const store = new TradeStore(o.db)
  const trader = new Trader({
    config: o.config,
    exchange: o.exchange,
    broker: o.broker,
    store,
    strategy,
    settings,
    clock: o.clock,
    protections,
  })
  const pairlistStep = new PairlistStep(
    pairlists,
    exchangePairlistSource(o.exchange),
    o.clock,
    Math.max(timeframeToMs(settings.timeframe), 60_000),
  )
  const refresh = new RefreshCandlesStep(o.exchange, settings.timeframe, () => trader.openPairs())
  const analyze = new AnalyzeStep(refresh, analyzer, strategy, o.exchange, trader, o.clock)
  const bot = await Bot.create({
    config: o.config,
    db: o.db,
    clock: o.clock,
    events: o.events,
    loopClock: o.loopClock,
    steps: [
      new ReconcileStep(trader),
      pairlistStep,
      refresh,
      analyze,
      new ManageOrdersStep(trader),
      new AdjustPositionsStep(trader),
      new ExitsStep(trader),
      new EntriesStep(trader),
    ],
  })
  trader.attach(bot)
  bot.trades = new TraderCommands(trader)
  bot.prices = trader
  bot.analyzedFrames = analyze
  bot.strategyVersion = strategy.version?.()
  bot.positionAdjustment = {
    enabled: trader.opts.settings.positionAdjustmentEnable,
    maxEntries: trader.opts.settings.maxEntryPositionAdjustment,
  }
  bot.wallet = { balances: () => o.broker.fetchBalance() }
  bot.marketPairs = () => o.exchange.symbols()
  bot.onShutdown = () => analyzer.destroy()
  return { bot, trader }
}
