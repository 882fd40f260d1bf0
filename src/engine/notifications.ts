import type { Config } from '../config/schema.ts'
import { BOT_EVENT_TYPES, type BotEvent, loadPlugins, NotifierManager, notifierBlocks } from '../plugins/index.ts'
import type { TelegramCommands } from '../plugins/telegramCommands.ts'
import { getLogger } from '../util/logger.ts'
import type { EventBus } from './events.ts'

const log = getLogger('tern.notify')
const NOTIFIED = new Set<string>(BOT_EVENT_TYPES)

export interface Notifications {
  names: string[]
  /** Delivers what is queued (bounded wait), then stops the notifiers. */
  stop(): Promise<void>
}

/**
 * Starts the configured notifiers and feeds them the bot's events. Delivery is queued inside the manager, so a slow
 * or failing notifier never holds up the bus (and so never the trading loop).
 */
export async function startNotifications(
  config: Config,
  events: EventBus,
  commands: TelegramCommands | undefined,
): Promise<Notifications> {
  const blocks = notifierBlocks(config as unknown as Record<string, unknown>)
  if (blocks.length === 0) return { names: [], stop: async () => {} }
  const registry = await loadPlugins({ pluginPaths: config.plugin_paths })
  const manager = NotifierManager.create(registry, blocks, {
    botName: config.bot_name,
    strategy: config.strategy,
    timeframe: config.timeframe,
    stakeCurrency: config.stake_currency,
    commands,
  })
  await manager.start()
  const unsubscribe = events.subscribe((message) => {
    if (NOTIFIED.has(message.type)) manager.notify(message as BotEvent)
  })
  log.info(`notifiers: ${manager.names.join(', ')}`)
  return {
    names: manager.names,
    stop: async () => {
      unsubscribe()
      await manager.stop()
    },
  }
}
