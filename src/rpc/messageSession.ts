import { type BotMessage, isMessageType, type MessageType } from '../engine/events.ts'
import { getLogger } from '../util/logger.ts'
import type { BotView } from './rpc.ts'

const log = getLogger('tern.api.ws')

/** What a websocket session needs from its connection. */
export interface MessageSink {
  send(message: unknown): void
}

/**
 * One websocket client of `/api/v1/message/ws` (§13): pushes the events it subscribed to and answers its requests.
 * It follows the bot through config reloads, as `bot()` is asked anew each time.
 */
export class MessageSession {
  private subscriptions = new Set<MessageType>()
  private unsubscribe: (() => void) | undefined
  private subscribedBus: unknown

  constructor(
    private readonly sink: MessageSink,
    private readonly bot: () => BotView | undefined,
  ) {
    this.attach()
  }

  /** Listens on the current bot's bus (again, after a reload replaced the bot). */
  private attach(): void {
    const bus = this.bot()?.events
    if (!bus || bus === this.subscribedBus) return
    this.unsubscribe?.()
    this.subscribedBus = bus
    this.unsubscribe = bus.subscribe((m) => this.push(m))
  }

  private push(message: BotMessage): void {
    if (this.subscriptions.has(message.type)) this.sink.send(message)
  }

  /** A client request; malformed or unknown ones are logged and ignored. */
  receive(raw: unknown): void {
    this.attach()
    let request: unknown = raw
    if (typeof raw === 'string') {
      try {
        request = JSON.parse(raw)
      } catch {
        log.debug('ignored a websocket message that is not JSON')
        return
      }
    }
    if (!request || typeof request !== 'object') return
    const { type, data } = request as { type?: unknown; data?: unknown }
    try {
      if (type === 'subscribe') {
        if (Array.isArray(data) && data.every(isMessageType)) this.subscriptions = new Set(data)
        else log.debug('ignored a subscription with unknown message types')
      } else if (type === 'whitelist') {
        const bot = this.bot()
        if (!bot) throw new Error('no engine')
        this.sink.send({ type: 'whitelist', data: bot.whitelist })
      } else {
        log.debug(`ignored a websocket request of type ${String(type)}`)
      }
    } catch (err) {
      log.warn({ err }, 'websocket request failed')
      this.sink.send({ type: 'exception', data: 'Error processing request' })
    }
  }

  close(): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }
}
