import { Type } from '@sinclair/typebox'
import { defineNotifier } from '../../src/plugins/define.ts'
import type { BotEvent } from '../../src/plugins/events.ts'
import { formatTemplate } from '../../src/plugins/format.ts'
import { postOnce } from '../../src/plugins/http.ts'

const Fields = Type.Array(Type.Record(Type.String(), Type.String()), {
  description: 'Embed fields: [{"Pair": "{pair}"}, ...]',
})

/**
 * freqtrade's Discord notifier: for each event type with a field list, one embed titled `Trade: <pair> <type>` (or
 * the type), blue, or green/red for exits by profit, each field's value a template of the event plus `strategy`,
 * `timeframe` and `bot_name`.
 */
export default defineNotifier({
  name: 'discord',
  description: 'Discord webhook embeds, fields as freqtrade configures them.',
  config: Type.Object({
    webhook_url: Type.String({ minLength: 1, description: 'Discord webhook URL' }),
    timeout: Type.Number({ exclusiveMinimum: 0, default: 10, description: 'Seconds before a post is abandoned' }),
    retries: Type.Integer({ minimum: 0, default: 1, description: 'Retries after a failed post' }),
    retry_delay: Type.Number({ minimum: 0, default: 0.1, description: 'Seconds between retries' }),
    entry: Type.Optional(Fields),
    entry_fill: Type.Optional(Fields),
    entry_cancel: Type.Optional(Fields),
    exit: Type.Optional(Fields),
    exit_fill: Type.Optional(Fields),
    exit_cancel: Type.Optional(Fields),
    protection_trigger: Type.Optional(Fields),
    protection_trigger_global: Type.Optional(Fields),
    status: Type.Optional(Fields),
    warning: Type.Optional(Fields),
    startup: Type.Optional(Fields),
  }),
  create(cfg, env) {
    const fieldsByType = cfg as unknown as Record<string, Record<string, string>[] | undefined>
    return {
      retries: cfg.retries,
      retryDelayMs: cfg.retry_delay * 1000,
      async send(event: BotEvent) {
        const fields = fieldsByType[event.type]
        if (!fields) return
        const values: Record<string, unknown> = {
          ...event,
          strategy: env.strategy ?? '',
          timeframe: env.timeframe ?? '',
          bot_name: env.botName,
        }
        let color = 0x0000ff
        if (event.type === 'exit' || event.type === 'exit_fill') color = event.profit_ratio > 0 ? 0x00ff00 : 0xff0000
        const title = 'pair' in event ? `Trade: ${event.pair} ${event.type}` : event.type
        const embed = {
          title,
          color,
          fields: fields.flatMap((f) =>
            Object.entries(f).map(([name, tpl]) => ({ name, value: formatTemplate(tpl, values), inline: true })),
          ),
        }
        await postOnce(
          cfg.webhook_url,
          JSON.stringify({ embeds: [embed] }),
          { 'Content-Type': 'application/json' },
          cfg.timeout * 1000,
        )
      },
    }
  },
})
