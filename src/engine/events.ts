import { BOT_EVENT_TYPES, type BotEvent, type BotEventType } from '../plugins/events.ts'
import { getLogger } from '../util/logger.ts'

const log = getLogger('tern.events')

/**
 * The message types of the bot, as freqtrade's RPC messages (§13.3 of the API contract): the events notifiers
 * receive, plus the ones only the websocket carries.
 */
export const MESSAGE_TYPES = [
  ...BOT_EVENT_TYPES,
  'exception',
  'strategy_msg',
  'whitelist',
  'analyzed_df',
  'new_candle',
] as const satisfies readonly string[]

export type MessageType = BotEventType | 'exception' | 'strategy_msg' | 'whitelist' | 'analyzed_df' | 'new_candle'

/** One event: a flat object with its `type`, as the websocket sends it; trade events have notifiers' typed fields. */
export type BotMessage = BotEvent | { type: Exclude<MessageType, BotEventType>; [field: string]: unknown }

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as readonly string[]).includes(value)
}

/**
 * Fans events out to listeners synchronously; a listener that throws is logged and the others still get the event.
 * Listeners must not block: slow work (network) is queued by the listener itself.
 */
export class EventBus {
  private readonly listeners = new Set<(message: BotMessage) => void>()

  subscribe(listener: (message: BotMessage) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(message: BotMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message)
      } catch (err) {
        log.error({ err }, `a listener failed on a '${message.type}' event`)
      }
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
