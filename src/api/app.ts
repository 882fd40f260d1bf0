import { jwt } from '@elysiajs/jwt'
import { openapi } from '@elysiajs/openapi'
import { Elysia } from 'elysia'
import { EngineRefusal } from '../engine/commands.ts'
import { type Rpc, TERN_VERSION } from '../rpc/rpc.ts'
import { wallClock } from '../util/clock.ts'
import { getLogger } from '../util/logger.ts'
import { CorsPolicy } from './cors.ts'
import { HttpError, locateCoercedValue, RpcError, ValidationFailure, validationItems } from './errors.ts'
import { authorize, type VerifyToken } from './guard.ts'
import { jsonResponse } from './json.ts'
import { MethodIndex } from './methods.ts'
import { authRoutes, type SignToken } from './routes/auth.ts'
import { backtestRoutes } from './routes/backtest.ts'
import { candleRoutes } from './routes/candles.ts'
import { catalogueRoutes } from './routes/catalogues.ts'
import { controlRoutes } from './routes/control.ts'
import { infoRoutes } from './routes/info.ts'
import { listRoutes } from './routes/lists.ts'
import { lockRoutes } from './routes/locks.ts'
import { pairlistRoutes } from './routes/pairlists.ts'
import { statsRoutes } from './routes/stats.ts'
import { strategyRoutes } from './routes/strategies.ts'
import { tradeRoutes } from './routes/trades.ts'
import { wsOpenapiPath, wsRoutes } from './routes/ws.ts'
import { API_PREFIX, type ApiServerSettings, PUBLIC_PATHS } from './settings.ts'
import { swaggerAssets } from './swaggerAssets.ts'

const log = getLogger('tern.api')

/** Query values the Python client sends for "not set" (§1.2). */
const ABSENT_QUERY_VALUES = new Set(['', 'None'])

function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  const query = url.indexOf('?', start)
  return query < 0 ? url.slice(start) : url.slice(start, query)
}

export interface AppOptions {
  rpc: Rpc
  api: ApiServerSettings
}

/** The HTTP application. Building it opens nothing: no database, no exchange, no port. */
export function buildApp({ rpc, api }: AppOptions) {
  const cors = new CorsPolicy(api.CORS_origins)
  const tokens = jwt({ name: 'jwt', secret: api.jwt_secret_key, alg: 'HS256' }).decorator.jwt
  const verify: VerifyToken = async (token) => {
    if (!token) return false
    try {
      return await tokens.verify(token, { currentDate: new Date(wallClock.now()) })
    } catch {
      return false
    }
  }
  const sign: SignToken = (claims) => tokens.sign({ ...claims, iat: true })
  const methods = new MethodIndex()

  const v1 = new Elysia({ prefix: API_PREFIX })
    .use(infoRoutes(rpc))
    .use(authRoutes(api, sign, verify))
    .use(controlRoutes(rpc))
    .use(lockRoutes(rpc))
    .use(tradeRoutes(rpc))
    .use(statsRoutes(rpc))
    .use(listRoutes(rpc))
    .use(wsRoutes(rpc, api, verify))
    .use(catalogueRoutes())
    .use(pairlistRoutes(rpc))
    .use(backtestRoutes(rpc))
    .use(strategyRoutes(rpc))
    .use(candleRoutes(rpc))

  const errorResponse = (request: Request, status: number, body: unknown, headers: Record<string, string> = {}) =>
    jsonResponse(status, body, { ...headers, ...cors.headersFor(request) })

  const app = new Elysia()
    .onRequest(async ({ request, set }) => {
      const preflight = cors.preflight(request)
      if (preflight) return preflight
      Object.assign(set.headers, cors.headersFor(request))
      const path = pathOf(request.url)
      if (path.startsWith(`${API_PREFIX}/`) && !PUBLIC_PATHS.has(path)) {
        try {
          await authorize(request, api, verify)
        } catch (e) {
          if (e instanceof HttpError) return errorResponse(request, e.status, { detail: e.detail }, e.headers)
          throw e
        }
      }
    })
    .onTransform(({ query }) => {
      for (const key of Object.keys(query)) {
        const value = query[key]
        if (typeof value === 'string' && ABSENT_QUERY_VALUES.has(value)) delete query[key]
      }
    })
    .mapResponse(({ responseValue, set }) => {
      if (responseValue instanceof Response || responseValue === undefined) return
      if (typeof responseValue !== 'object' && typeof responseValue !== 'number') return
      return jsonResponse(
        typeof set.status === 'number' ? set.status : 200,
        responseValue,
        set.headers as Record<string, string>,
      )
    })
    .onError(({ code, error, request, query, params }) => {
      const path = pathOf(request.url)
      if (error instanceof HttpError)
        return errorResponse(request, error.status, { detail: error.detail }, error.headers)
      if (error instanceof RpcError || error instanceof EngineRefusal)
        return errorResponse(request, 502, { error: `Error querying ${path}: ${error.message}` })
      if (error instanceof ValidationFailure) return errorResponse(request, 422, { detail: error.items })
      switch (code) {
        case 'VALIDATION':
          if (error.type === 'property') {
            // a coerced query/path number that failed a constraint: Elysia does not say which field, so find it
            const [part, field] = locateCoercedValue(error.value, { query, path: params })
            return errorResponse(request, 422, {
              detail: [
                {
                  type: 'value_error',
                  loc: field ? [part, field] : [part],
                  msg: error.valueError?.message ?? 'Invalid value',
                  input: error.value,
                },
              ],
            })
          }
          return errorResponse(request, 422, { detail: validationItems(error.type, error.all as never, error.value) })
        case 'PARSE':
          return errorResponse(request, 422, {
            detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} }],
          })
        case 'NOT_FOUND':
          return methods.knownPathOtherMethod(app, request.method, path)
            ? errorResponse(
                request,
                405,
                { detail: 'Method Not Allowed' },
                { allow: methods.allowed(app, path).join(', ') },
              )
            : errorResponse(request, 404, { detail: 'Not Found' })
        default: {
          // an unexpected failure inside a handler: answer in the RPC shape so clients keep the bot online
          log.error({ err: error, path }, `unhandled error on ${request.method} ${path}`)
          const message = error instanceof Error ? error.message : String(error)
          return errorResponse(request, 502, { error: `Error querying ${path}: ${message}` })
        }
      }
    })
    .use(swaggerAssets)
    .use(
      openapi({
        enabled: api.enable_openapi,
        provider: 'swagger-ui',
        path: '/docs',
        specPath: '/openapi.json',
        exclude: { paths: [/^\/docs/, '/openapi.json'] },
        swagger: {
          cdn: '/docs/assets/swagger-ui-bundle.js',
          theme: '/docs/assets/swagger-ui.css',
          autoDarkMode: false,
        },
        documentation: {
          info: {
            title: 'Tern REST API',
            version: TERN_VERSION,
            description: "Tern's REST API under /api/v1, wire-compatible with freqtrade's REST API 2.40.",
          },
          tags: [
            { name: 'info', description: 'System information' },
            { name: 'auth', description: 'Tokens' },
            { name: 'strategies', description: 'Strategies and their plot configuration' },
            { name: 'candles', description: 'Analysed candles and stored candle data' },
            { name: 'control', description: 'Starting, stopping and reloading the bot' },
            { name: 'locks', description: 'Pair locks' },
            { name: 'trades', description: 'Open and closed trades, force entries and exits' },
            { name: 'stats', description: 'Profit, performance, periodic profit and balances' },
            { name: 'lists', description: 'Whitelist and blacklist' },
            { name: 'websocket', description: 'Live events' },
            { name: 'catalogues', description: 'Exchanges, FreqAI models and hyperopt losses' },
            { name: 'backtest', description: 'Backtests and their stored results (webserver mode)' },
            { name: 'pairlists', description: 'Pairlist builder and background jobs (webserver mode)' },
          ],
          components: {
            securitySchemes: {
              basic: { type: 'http', scheme: 'basic' },
              bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            },
          },
          security: [{ basic: [] }, { bearer: [] }],
          paths: wsOpenapiPath,
        },
      }),
    )
    .use(v1)
  return app
}

export type App = ReturnType<typeof buildApp>

/** The OpenAPI document, produced without listening on a port. */
export async function openapiDocument(app: App): Promise<unknown> {
  const res = await app.handle(new Request('http://localhost/openapi.json'))
  if (!res.ok) throw new Error(`OpenAPI document not available (HTTP ${res.status}); is api_server.enable_openapi off?`)
  return res.json()
}
