import { getLogger } from '../util/logger.ts'
import type { NotifierEnv, NotifierHandler, NotifierPlugin } from './define.ts'
import { type BotEvent, describeEvent } from './events.ts'
import type { PluginRegistry } from './registry.ts'
import { blockLabel, PluginConfigError, validatePluginConfig } from './validate.ts'

const log = getLogger('tern.notify')

/** freqtrade keeps notifiers as top-level keys; Tern also reads them there when `enabled`. */
const TOP_LEVEL_NOTIFIERS = ['webhook', 'discord', 'telegram'] as const

/**
 * The notifier blocks of a config: `notifiers: [{"method": "webhook", ...}]`, plus freqtrade's top-level `webhook`,
 * `discord` and `telegram` blocks that have `"enabled": true`. Blocks with `"enabled": false` are left out.
 */
export function notifierBlocks(config: Record<string, unknown>): ({ method: string } & Record<string, unknown>)[] {
  const out: ({ method: string } & Record<string, unknown>)[] = []
  const list = (config.notifiers as Record<string, unknown>[] | undefined) ?? []
  list.forEach((block, i) => {
    if (typeof block.method !== 'string') {
      throw new PluginConfigError(`notifiers[${i}]: key 'method' is required (webhook, discord, telegram, ...)`)
    }
    if (block.enabled === false) return
    const { enabled: _e, ...rest } = block
    out.push(rest as { method: string } & Record<string, unknown>)
  })
  for (const name of TOP_LEVEL_NOTIFIERS) {
    const block = config[name] as Record<string, unknown> | undefined
    if (block?.enabled !== true) continue
    const { enabled: _e, ...rest } = block
    out.push({ ...rest, method: name })
  }
  return out
}

/** First-in first-out with O(1) take (a large backlog must not make `notify` slow). */
class Fifo<T> {
  private items: T[] = []
  private head = 0
  get length(): number {
    return this.items.length - this.head
  }
  push(v: T): void {
    this.items.push(v)
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined
    const v = this.items[this.head++]
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return v
  }
}

interface Queue {
  name: string
  handler: NotifierHandler
  items: Fifo<BotEvent>
  running: Promise<void> | undefined
}

export interface NotifierManagerOptions {
  /** Events held per notifier before the oldest is dropped (with an error log); default 1000. */
  maxQueue?: number
  /** An attempt that takes longer counts as failed, so a hanging notifier cannot stall its queue; default 60 s. */
  attemptTimeoutMs?: number
}

/** Rejects when `p` has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * Delivers events to every notifier off the caller's path: `notify` only queues (it never waits and never throws);
 * each notifier drains its own queue in order, retrying as configured. A failed or dropped event is logged with the
 * notifier's name and the event, never silently lost.
 */
export class NotifierManager {
  readonly stats = { sent: 0, failed: 0, dropped: 0 }
  private readonly maxQueue: number
  private readonly attemptTimeoutMs: number

  private constructor(
    private readonly queues: Queue[],
    opts: NotifierManagerOptions,
  ) {
    this.maxQueue = opts.maxQueue ?? 1000
    this.attemptTimeoutMs = opts.attemptTimeoutMs ?? 60_000
  }

  static create(
    registry: PluginRegistry,
    blocks: ({ method: string } & Record<string, unknown>)[],
    env: Omit<NotifierEnv, 'log'>,
    opts: NotifierManagerOptions = {},
  ): NotifierManager {
    const queues: Queue[] = []
    blocks.forEach((block, i) => {
      const where = blockLabel('notifiers', i)
      const plugin: NotifierPlugin | undefined = registry.get('notifier', block.method)
      if (!plugin) {
        throw new PluginConfigError(
          `${where}: unknown notifier '${block.method}'; available: ${registry.names('notifier').join(', ')}`,
        )
      }
      const { config, unknownKeys } = validatePluginConfig(plugin, block, `${where}`)
      if (unknownKeys.length > 0) log.warn(`${where} (${plugin.name}): unknown keys ignored: ${unknownKeys.join(', ')}`)
      try {
        const handler = plugin.create(config, { ...env, log: getLogger(`tern.notify.${plugin.name}`) })
        queues.push({ name: plugin.name, handler, items: new Fifo<BotEvent>(), running: undefined })
      } catch (err) {
        throw new PluginConfigError(`${where} (${plugin.name}): ${(err as Error).message}`)
      }
    })
    return new NotifierManager(queues, opts)
  }

  get names(): string[] {
    return this.queues.map((q) => q.name)
  }

  /** Events waiting, over all notifiers. */
  get pending(): number {
    return this.queues.reduce((n, q) => n + q.items.length, 0)
  }

  /** Starts notifiers that run something of their own (telegram's command polling). */
  async start(): Promise<void> {
    for (const q of this.queues) {
      try {
        await q.handler.start?.()
      } catch (err) {
        log.error({ err }, `notifier ${q.name} failed to start: ${(err as Error).message}`)
      }
    }
  }

  /** Queues one event for every notifier and returns at once. */
  notify(event: BotEvent): void {
    for (const q of this.queues) {
      if (q.items.length >= this.maxQueue) {
        const dropped = q.items.shift() as BotEvent
        this.stats.dropped++
        log.error(`notifier ${q.name}: queue full (${this.maxQueue}), dropped ${describeEvent(dropped)}`)
      }
      q.items.push(event)
      if (!q.running) q.running = this.drain(q)
    }
  }

  /** Resolves when every queue is empty (for shutdown and tests). */
  async flush(): Promise<void> {
    while (this.queues.some((q) => q.running)) await Promise.all(this.queues.map((q) => q.running))
  }

  /** Delivers what is queued (waiting at most `timeoutMs`; what is left is logged), then stops the notifiers. */
  async stop(timeoutMs = 10_000): Promise<void> {
    try {
      await within(this.flush(), timeoutMs)
    } catch {
      for (const q of this.queues) {
        if (q.items.length > 0) log.error(`notifier ${q.name}: ${q.items.length} events not delivered at shutdown`)
      }
    }
    for (const q of this.queues) {
      try {
        await q.handler.stop?.()
      } catch (err) {
        log.error({ err }, `notifier ${q.name} failed to stop: ${(err as Error).message}`)
      }
    }
  }

  private async drain(q: Queue): Promise<void> {
    // Runs on a later tick so `notify` never does delivery work itself.
    await Promise.resolve()
    try {
      while (q.items.length > 0) {
        const event = q.items.shift() as BotEvent
        await this.deliver(q, event)
      }
    } finally {
      q.running = undefined
    }
  }

  private async deliver(q: Queue, event: BotEvent): Promise<void> {
    const attempts = 1 + Math.max(0, q.handler.retries)
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await within(
          Promise.resolve().then(() => q.handler.send(event)),
          this.attemptTimeoutMs,
        )
        this.stats.sent++
        return
      } catch (err) {
        const msg = (err as Error).message
        if (attempt < attempts) {
          log.warn(`notifier ${q.name}: ${describeEvent(event)} failed (attempt ${attempt}/${attempts}): ${msg}`)
          if (q.handler.retryDelayMs > 0) await sleep(q.handler.retryDelayMs)
        } else {
          this.stats.failed++
          log.error(`notifier ${q.name}: giving up on ${describeEvent(event)} after ${attempts} attempts: ${msg}`)
        }
      }
    }
  }
}
