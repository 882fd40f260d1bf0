/**
 * The two error shapes of the API contract (§5): `{"detail": ...}` for HTTP-level problems and
 * HTTP 502 `{"error": "Error querying <path>: <message>"}` for refusals by the engine.
 */

/** A refusal by the engine or the RPC layer; the API answers 502 with the `error` shape. */
export class RpcError extends Error {
  override name = 'RpcError'
}

/** An HTTP-level error with a status and a `detail` body (404 "Trade not found.", 503 ...). */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail)
  }
}

/** A request that passed the schema but not a rule of the endpoint (e.g. a date without a time zone): HTTP 422. */
export class ValidationFailure extends Error {
  override name = 'ValidationFailure'
  constructor(readonly items: ValidationItem[]) {
    super(items.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '))
  }
}

/** One item of a 422 body, as FastAPI/pydantic write it. */
export interface ValidationItem {
  type: string
  loc: (string | number)[]
  msg: string
  input: unknown
}

interface TypeboxError {
  path: string
  value: unknown
  message: string
  schema: { type?: string; anyOf?: { type?: string; const?: unknown }[]; const?: unknown; [k: string]: unknown }
}

/** pydantic's machine codes for the TypeBox failure, so clients see the same `type` as from freqtrade. */
function itemType(e: TypeboxError): { type: string; msg: string } {
  if (e.value === undefined) return { type: 'missing', msg: 'Field required' }
  const s = e.schema
  const types = [s.type, ...(s.anyOf ?? []).map((a) => a.type)].filter(Boolean)
  const literals = [s.const, ...(s.anyOf ?? []).map((a) => a.const)].filter((v) => v !== undefined)
  if (literals.length > 0) {
    return { type: 'enum', msg: `Input should be ${literals.map((l) => `'${String(l)}'`).join(', ')}` }
  }
  if (types.includes('integer')) return { type: 'int_parsing', msg: 'Input should be a valid integer' }
  if (types.includes('number')) return { type: 'float_parsing', msg: 'Input should be a valid number' }
  if (types.includes('boolean')) return { type: 'bool_parsing', msg: 'Input should be a valid boolean' }
  if (types.includes('string')) return { type: 'string_type', msg: e.message }
  if (types.includes('array')) return { type: 'list_type', msg: 'Input should be a valid list' }
  if (types.includes('object')) return { type: 'model_type', msg: 'Input should be a valid dictionary' }
  return { type: 'value_error', msg: e.message }
}

const LOC_NAMES: Record<string, string> = { params: 'path', query: 'query', body: 'body', headers: 'header' }

/** Converts TypeBox errors for one request part into the contract's 422 `detail` array (one item per field). */
export function validationItems(part: string, errors: TypeboxError[], input: unknown): ValidationItem[] {
  const seen = new Set<string>()
  const items: ValidationItem[] = []
  for (const e of errors) {
    if (seen.has(e.path)) continue
    seen.add(e.path)
    const fields = e.path
      .split('/')
      .filter(Boolean)
      .map((f) => (/^\d+$/.test(f) ? Number(f) : f))
    const { type, msg } = itemType(e)
    items.push({
      type,
      loc: [LOC_NAMES[part] ?? part, ...fields],
      msg,
      input: e.value ?? (fields.length ? null : input),
    })
  }
  if (items.length === 0)
    items.push({ type: 'value_error', loc: [LOC_NAMES[part] ?? part], msg: 'Invalid input', input })
  return items
}

/** The request part and key whose raw string is `value` (Elysia reports coerced-number failures without a key). */
export function locateCoercedValue(
  value: unknown,
  parts: Record<string, Record<string, unknown> | undefined>,
): [string, string?] {
  for (const [part, values] of Object.entries(parts)) {
    for (const [key, raw] of Object.entries(values ?? {})) {
      if (raw === value || (typeof raw === 'string' && raw !== '' && Number(raw) === value)) return [part, key]
    }
  }
  return ['query']
}
