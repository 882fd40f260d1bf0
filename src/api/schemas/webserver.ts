import { Type } from '@sinclair/typebox'
import { t } from 'elysia'
import { Nullable } from './common.ts'

export const PairlistsAvailable = t.Object({
  pairlists: t.Array(
    t.Object({
      name: t.String(),
      description: t.String(),
      is_pairlist_generator: t.Boolean(),
      params: t.Record(
        t.String(),
        t.Object({
          type: t.String({ description: 'string | number | boolean | option | list' }),
          default: t.Unknown(),
          description: t.String(),
          help: t.String(),
          options: t.Optional(t.Array(t.String())),
        }),
      ),
    }),
  ),
})

export const PairlistEvaluateBody = t.Object({
  pairlists: t.Array(t.Object({ method: t.String({ minLength: 1 }) }, { additionalProperties: true })),
  blacklist: t.Array(t.String()),
  stake_currency: t.String({ minLength: 1 }),
  exchange: t.Optional(t.String()),
  trading_mode: t.Optional(t.String()),
  margin_mode: t.Optional(t.String()),
})

export const JobStarted = t.Object({ status: t.String(), job_id: t.String() })

export const PairlistEvaluateResult = t.Object({
  status: t.String({ description: 'success | failed' }),
  error: Nullable(t.String()),
  result: Nullable(t.Object({ method: t.Array(t.String()), length: Type.Integer(), whitelist: t.Array(t.String()) })),
})

export const BackgroundJob = t.Object({
  job_id: t.String(),
  job_category: t.String(),
  status: t.String({ description: 'pending | success | failed' }),
  running: t.Boolean(),
  progress: Nullable(t.Number()),
  error: Nullable(t.String()),
})

export const Exchanges = t.Object({
  exchanges: t.Array(
    t.Object({
      name: t.String(),
      classname: t.String(),
      valid: t.Boolean(),
      supported: t.Boolean(),
      comment: t.String(),
      dex: t.Boolean(),
      is_alias: t.Boolean(),
      alias_for: Nullable(t.String()),
      trade_modes: t.Array(t.Object({ trading_mode: t.String(), margin_mode: t.String() })),
    }),
  ),
})

export const FreqaiModels = t.Object({ freqaimodels: t.Array(t.String()) })
export const HyperoptLosses = t.Object({
  loss_functions: t.Array(t.Object({ name: t.String(), description: t.String() })),
})
