import type { TSchema } from '@sinclair/typebox'
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler'
import { jsonTextResponse } from './json.ts'

const bodies = new WeakMap<object, string>()
const checks = new WeakMap<TSchema, TypeCheck<TSchema>>()

/**
 * A 200 JSON answer for a result the RPC layer serves from its cache (the same object until the trades change):
 * checked against the route's response schema and serialized once per object, not once per request. Elysia does
 * not check a returned Response, so the check happens here.
 */
export function cachedJsonResponse(value: object, schema: TSchema, headers: Record<string, string>): Response {
  let body = bodies.get(value)
  if (body === undefined) {
    let check = checks.get(schema)
    if (!check) {
      check = TypeCompiler.Compile(schema)
      checks.set(schema, check)
    }
    if (!check.Check(value)) {
      const first = check.Errors(value).First()
      throw new Error(`response does not match its schema at ${first?.path ?? '/'}: ${first?.message ?? 'invalid'}`)
    }
    body = JSON.stringify(value)
    bodies.set(value, body)
  }
  return jsonTextResponse(200, body, headers)
}

/** The headers Elysia has gathered for the answer (CORS), as a plain record. */
export function headersOf(set: { headers: unknown }): Record<string, string> {
  return set.headers as Record<string, string>
}
