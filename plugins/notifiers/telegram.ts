import { Type } from '@sinclair/typebox'
import { Bot, type Context } from 'grammy'
import { defineNotifier } from '../../src/plugins/define.ts'
import type { BotEvent } from '../../src/plugins/events.ts'
import type { TelegramCommands } from '../../src/plugins/telegramCommands.ts'
import {
  balanceText,
  countText,
  dailyText,
  eventText,
  locksText,
  performanceText,
  profitText,
  statusTableText,
  statusText,
} from '../../src/plugins/telegramText.ts'

const Mode = Type.Union([Type.Literal('on'), Type.Literal('off'), Type.Literal('silent')])
type ModeValue = 'on' | 'off' | 'silent'

/** freqtrade's defaults: everything on except fills of entries. */
const DEFAULT_MODES: Record<string, ModeValue> = { entry_fill: 'off' }

export const HELP_TEXT = [
  '/start: Starts the trader',
  '/stop: Stops the trader',
  '/stopentry: Stops entering, but handles open trades gracefully',
  '/forceexit <trade_id>|all: Instantly exits the given trade or all trades',
  '/forceenter <pair> [rate]: Instantly enters the given pair (also /forcelong, /forceshort)',
  '/reload_config: Reloads the configuration file',
  '/status: Lists all open trades; /status table: as a table',
  '/profit: Lists cumulative profit from all finished trades',
  '/balance: Show bot managed balance per currency',
  '/daily <n>: Shows profit or loss per day, over the last n days',
  '/performance: Show performance of each finished trade grouped by pair',
  '/count: Show number of active trades compared to allowed number of trades',
  '/locks: Show currently locked pairs',
  '/help: This help message',
].join('\n')

/** Runs one command and answers with its text, or with the error message the bot gave. */
async function answer(ctx: Context, fn: () => Promise<string>): Promise<void> {
  let text: string
  try {
    text = await fn()
  } catch (err) {
    text = `Error: ${(err as Error).message}`
  }
  await ctx.reply(text)
}

function registerCommands(bot: Bot, commands: TelegramCommands, stake: string): void {
  const arg = (ctx: Context) => (typeof ctx.match === 'string' ? ctx.match.trim() : '')
  bot.command('status', (ctx) =>
    answer(ctx, async () => {
      const trades = await commands.status()
      return arg(ctx) === 'table' ? statusTableText(trades) : statusText(trades)
    }),
  )
  bot.command('profit', (ctx) => answer(ctx, async () => profitText(await commands.profit(), stake)))
  bot.command('balance', (ctx) => answer(ctx, async () => balanceText(await commands.balance())))
  bot.command('daily', (ctx) =>
    answer(ctx, async () => {
      const n = arg(ctx) ? Number.parseInt(arg(ctx), 10) : 7
      if (!Number.isInteger(n) || n <= 0) return 'Usage: /daily <n> (a whole number of days greater than 0)'
      return dailyText(await commands.daily(n))
    }),
  )
  bot.command('performance', (ctx) => answer(ctx, async () => performanceText(await commands.performance())))
  bot.command('count', (ctx) => answer(ctx, async () => countText(await commands.count())))
  bot.command('locks', (ctx) => answer(ctx, async () => locksText(await commands.locks())))
  bot.command('start', (ctx) => answer(ctx, () => commands.start()))
  bot.command('stop', (ctx) => answer(ctx, () => commands.stop()))
  bot.command(['stopentry', 'stopbuy'], (ctx) => answer(ctx, () => commands.stopEntry()))
  bot.command('reload_config', (ctx) => answer(ctx, () => commands.reloadConfig()))
  bot.command(['forceexit', 'forcesell'], (ctx) =>
    answer(ctx, async () => (arg(ctx) ? commands.forceExit(arg(ctx)) : 'Usage: /forceexit <trade_id>|all')),
  )
  const enter = (side: 'long' | 'short') => (ctx: Context) =>
    answer(ctx, async () => {
      const [pair, rate] = arg(ctx).split(/\s+/).filter(Boolean)
      if (!pair) return `Usage: /force${side === 'long' ? 'enter' : 'short'} <pair> [rate]`
      const price = rate === undefined ? undefined : Number(rate)
      if (price !== undefined && !(price > 0)) return `Invalid rate '${rate}'`
      return commands.forceEnter(pair, side, price)
    })
  bot.command(['forceenter', 'forcelong', 'forcebuy'], enter('long'))
  bot.command('forceshort', enter('short'))
  bot.command('help', (ctx) => ctx.reply(HELP_TEXT))
}

/**
 * Telegram through grammY: event messages with per-event on/off/silent settings (`exit` may be set per exit reason
 * with a `*` fallback), and freqtrade's commands, answered only in the configured chat (and, when given, only for
 * `authorized_users`). `api_root` points the bot at another Bot API server.
 */
export default defineNotifier({
  name: 'telegram',
  description: 'Telegram messages and commands (grammY).',
  config: Type.Object({
    token: Type.String({ minLength: 1, description: 'Bot token from BotFather' }),
    chat_id: Type.Union([Type.String({ minLength: 1 }), Type.Integer()], { description: 'The only chat served' }),
    topic_id: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: 'Forum topic to post in' })),
    authorized_users: Type.Optional(Type.Array(Type.String(), { description: 'Usernames allowed to send commands' })),
    notification_settings: Type.Record(Type.String(), Type.Union([Mode, Type.Record(Type.String(), Mode)]), {
      default: {},
      description: 'Per event type: on, off or silent (exit: per exit reason, * for the rest)',
    }),
    api_root: Type.String({ default: 'https://api.telegram.org', description: 'Bot API server' }),
    polling_timeout: Type.Integer({ minimum: 0, default: 30, description: 'Seconds of each getUpdates long poll' }),
    retries: Type.Integer({ minimum: 0, default: 3, description: 'Retries after a failed send' }),
    retry_delay: Type.Number({ minimum: 0, default: 1, description: 'Seconds between retries' }),
  }),
  create(cfg, env) {
    const chatId = String(cfg.chat_id)
    const topic = cfg.topic_id === undefined ? undefined : Number(cfg.topic_id)
    const bot = new Bot(cfg.token, { client: { apiRoot: cfg.api_root } })
    let polling: Promise<void> | undefined

    // Commands come only from the configured chat (and the authorized users, when listed).
    bot.use(async (ctx, next) => {
      const from = ctx.chat?.id === undefined ? undefined : String(ctx.chat.id)
      const user = ctx.from?.username
      if (from !== chatId || (cfg.authorized_users && (!user || !cfg.authorized_users.includes(user)))) {
        env.log.info(`Rejected unauthorized message from: ${from ?? 'unknown chat'}`)
        return
      }
      await next()
    })
    if (env.commands) registerCommands(bot, env.commands, env.stakeCurrency)
    bot.catch((err) => env.log.error(`telegram command failed: ${err.message}`))

    const modeOf = (event: BotEvent): ModeValue => {
      const setting = cfg.notification_settings[event.type]
      if (event.type === 'exit' && setting && typeof setting === 'object') {
        return setting[event.exit_reason] ?? setting['*'] ?? 'on'
      }
      if (typeof setting === 'string') return setting
      return DEFAULT_MODES[event.type] ?? 'on'
    }

    return {
      retries: cfg.retries,
      retryDelayMs: cfg.retry_delay * 1000,
      async send(event) {
        const mode = modeOf(event)
        if (mode === 'off') {
          env.log.debug(`Notification '${event.type}' not sent.`)
          return
        }
        await bot.api.sendMessage(chatId, eventText(event), {
          disable_notification: mode === 'silent',
          ...(topic === undefined ? {} : { message_thread_id: topic }),
        })
      },
      async start() {
        if (!env.commands || polling) return
        // Long polling runs in the background (start returns at once, even when Telegram is unreachable); its errors
        // are logged, they never reach the trading loop.
        polling = bot
          .start({ timeout: cfg.polling_timeout, drop_pending_updates: false, allowed_updates: ['message'] })
          .catch((err: Error) => env.log.error(`telegram polling stopped: ${err.message}`))
      },
      async stop() {
        if (!polling) return
        if (bot.isRunning()) await bot.stop().catch(() => undefined)
        await polling
        polling = undefined
      },
    }
  },
})
