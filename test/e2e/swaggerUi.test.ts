import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { tempDir } from '../helpers/tmp.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ mode: 'webserver' })
})
afterAll(() => server.stop())

/** Loads a page in headless Chromium, lets its scripts run, and returns the rendered DOM. */
async function renderedDom(url: string): Promise<string> {
  const profile = tempDir('tern-chromium-')
  try {
    const proc = Bun.spawn(
      [
        CHROMIUM,
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile.path}`,
        '--virtual-time-budget=15000',
        '--dump-dom',
        url,
      ],
      { stdout: 'pipe', stderr: 'pipe' },
    )
    const timer = setTimeout(() => proc.kill(), 60_000)
    const [dom, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ])
    clearTimeout(timer)
    if (code !== 0 || dom.length === 0) throw new Error(`chromium failed (exit ${code}): ${err.slice(-500)}`)
    return dom
  } finally {
    profile.cleanup()
  }
}

test('Swagger UI at /docs renders the operations list from the local assets', async () => {
  const dom = await renderedDom(`${server.base}/docs`)
  // Swagger UI replaced the empty #swagger-ui div with its rendered operations
  expect(dom).toContain('opblock')
  for (const path of ['/api/v1/ping', '/api/v1/show_config', '/api/v1/health', '/api/v1/logs', '/api/v1/token/login']) {
    expect(dom).toContain(`data-path="${path}"`)
  }
  expect(dom).toContain('Tern REST API')
}, 90_000)
