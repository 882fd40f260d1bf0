import { getLogger } from '../util/logger.ts'

const log = getLogger('tern.events')

/** The message types of the bot, as freqtrade's RPC messages (§13.3 of the API contract). */
export const MESSAGE_TYPES = [
  'status',
  'warning',
  'exception',
  'startup',
  'entry',
  'entry_fill',
  'entry_cancel',
  'exit',
  'exit_fill',
  'exit_cancel',
  'protection_trigger',
  'protection_trigger_global',
  'strategy_msg',
  'whitelist',
  'analyzed_df',
  'new_candle',
] as const

export type MessageType = (typeof MESSAGE_TYPES)[number]

/** One event: a flat object with its `type`, as the websocket sends it and notifiers receive it. */
export interface BotMessage {
  type: MessageType
  [field: string]: unknown
}

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
