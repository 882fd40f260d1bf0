import { createRequire } from 'node:module'
import { Elysia } from 'elysia'

const require = createRequire(import.meta.url)

/** Swagger UI's script and stylesheet, served from the installed package so /docs works offline. */
const ASSETS: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript',
  'swagger-ui.css': 'text/css',
}

export const swaggerAssets = new Elysia({ name: 'swagger-assets' }).get(
  '/docs/assets/:file',
  ({ params, set }) => {
    const type = ASSETS[params.file]
    if (!type) {
      set.status = 404
      return { detail: 'Not Found' }
    }
    return new Response(Bun.file(require.resolve(`swagger-ui-dist/${params.file}`)), {
      headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' },
    })
  },
  { detail: { hide: true } },
)
