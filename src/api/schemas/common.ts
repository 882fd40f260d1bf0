import { Type } from '@sinclair/typebox'
import { t } from 'elysia'

/** `s` or null: the contract's "null where unknown". */
export const Nullable = <T extends Parameters<typeof t.Union>[0][number]>(s: T) => t.Union([s, t.Null()])

/** `{"detail": "..."}`: HTTP-level errors (401, 404, 503 ...). */
export const DetailError = t.Object({ detail: t.String() }, { $id: '#/components/schemas/DetailError' })

/** 422 body: `{"detail": [{type, loc, msg, input}, ...]}` as FastAPI writes it. */
export const ValidationErrorBody = t.Object({
  detail: t.Array(
    t.Object({
      type: t.String({ description: 'machine code: missing, int_parsing, float_parsing, enum, ...' }),
      loc: t.Array(t.Union([t.String(), Type.Integer()]), {
        description: '"query" | "body" | "path", then the field path',
      }),
      msg: t.String(),
      input: t.Unknown(),
    }),
  ),
})

/** HTTP 502 `{"error": "Error querying <path>: <message>"}`: the engine refused. */
export const RpcErrorBody = t.Object({ error: t.String() })

/** Every private route can answer these. */
export const privateErrors = {
  401: DetailError,
  422: ValidationErrorBody,
  502: RpcErrorBody,
} as const

/** A body-less POST accepts nothing, `{}` or `null` (the Python client sends `null`). */
export const NoBody = t.Optional(t.Union([t.Null(), t.Object({}, { additionalProperties: true })]))

export const StatusMessage = t.Object({ status: t.String() })
