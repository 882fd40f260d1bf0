import { createHmac } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import { defineNotifier } from '../../src/plugins/define.ts'
import type { BotEvent, BotEventType } from '../../src/plugins/events.ts'
import { formatPayload, TemplateKeyError } from '../../src/plugins/format.ts'
import { postOnce } from '../../src/plugins/http.ts'

const Template = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Payload template; strings may hold {placeholders} of the event',
})

/** freqtrade's older template names, used when the event's own key is not configured. */
const LEGACY: Partial<Record<BotEventType, string>> = {
  entry: 'webhookentry',
  entry_cancel: 'webhookentrycancel',
  entry_fill: 'webhookentryfill',
  exit: 'webhookexit',
  exit_cancel: 'webhookexitcancel',
  exit_fill: 'webhookexitfill',
  status: 'webhookstatus',
  startup: 'webhookstatus',
  warning: 'webhookstatus',
}

/** Signature header value: `sha256=` and the hex HMAC-SHA256 of the exact request body. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * freqtrade's webhook: per event type a template (`entry`, `exit`, `status`, ...) whose `{placeholders}` are filled
 * from the event, posted as a form, JSON or raw text (`data` key). Event types without a template are not sent.
 * With `secret`, each request carries an HMAC-SHA256 signature of its body.
 */
export default defineNotifier({
  name: 'webhook',
  description: 'POST templated event payloads to a URL (form, json or raw).',
  config: Type.Object({
    url: Type.String({ minLength: 1, description: 'URL to post to' }),
    format: Type.Union([Type.Literal('form'), Type.Literal('json'), Type.Literal('raw')], {
      default: 'form',
      description: 'Body encoding',
    }),
    retries: Type.Integer({ minimum: 0, default: 0, description: 'Retries after a failed post' }),
    retry_delay: Type.Number({ minimum: 0, default: 0.1, description: 'Seconds between retries' }),
    timeout: Type.Number({ exclusiveMinimum: 0, default: 10, description: 'Seconds before a post is abandoned' }),
    secret: Type.Optional(Type.String({ minLength: 1, description: 'Key of the HMAC-SHA256 body signature' })),
    signature_header: Type.String({ default: 'X-Tern-Signature', description: 'Header carrying the signature' }),
    entry: Type.Optional(Template),
    entry_fill: Type.Optional(Template),
    entry_cancel: Type.Optional(Template),
    exit: Type.Optional(Template),
    exit_fill: Type.Optional(Template),
    exit_cancel: Type.Optional(Template),
    protection_trigger: Type.Optional(Template),
    protection_trigger_global: Type.Optional(Template),
    status: Type.Optional(Template),
    warning: Type.Optional(Template),
    startup: Type.Optional(Template),
    webhookentry: Type.Optional(Template),
    webhookentrycancel: Type.Optional(Template),
    webhookentryfill: Type.Optional(Template),
    webhookexit: Type.Optional(Template),
    webhookexitcancel: Type.Optional(Template),
    webhookexitfill: Type.Optional(Template),
    webhookstatus: Type.Optional(Template),
  }),
  create(cfg, env) {
    const templates = cfg as unknown as Record<string, Record<string, unknown> | undefined>
    const templateFor = (type: BotEventType) => {
      const legacy = LEGACY[type]
      return templates[type] ?? (legacy ? templates[legacy] : undefined)
    }
    return {
      retries: cfg.retries,
      retryDelayMs: cfg.retry_delay * 1000,
      async send(event: BotEvent) {
        const template = templateFor(event.type)
        if (!template) {
          env.log.debug(`event '${event.type}' has no webhook template`)
          return
        }
        let payload: Record<string, unknown>
        try {
          payload = formatPayload(template, event as unknown as Record<string, unknown>) as Record<string, unknown>
        } catch (err) {
          // A template error would fail on every retry: report it once, naming the event type.
          if (!(err instanceof TemplateKeyError)) throw err
          env.log.error(`webhook template for '${event.type}' cannot be filled: ${err.message}; event not sent`)
          return
        }
        let body: string
        const headers: Record<string, string> = {}
        if (cfg.format === 'json') {
          body = JSON.stringify(payload)
          headers['Content-Type'] = 'application/json'
        } else if (cfg.format === 'raw') {
          body = String(payload.data ?? '')
          headers['Content-Type'] = 'text/plain'
        } else {
          const form = new URLSearchParams()
          for (const [k, v] of Object.entries(payload)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v))
          body = form.toString()
          headers['Content-Type'] = 'application/x-www-form-urlencoded'
        }
        if (cfg.secret) headers[cfg.signature_header] = webhookSignature(cfg.secret, body)
        await postOnce(cfg.url, body, headers, cfg.timeout * 1000)
      },
    }
  },
})
