/** CORS as the contract's §4: exact origins, credentials allowed, pre-flight answered without authentication. */

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD'

export class CorsPolicy {
  private readonly origins: Set<string>
  constructor(origins: string[]) {
    this.origins = new Set(origins)
  }

  /** Headers every response to this request must carry (empty when the origin is not listed). */
  headersFor(request: Request): Record<string, string> {
    const origin = request.headers.get('origin')
    if (!origin || !this.origins.has(origin)) return {}
    return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' }
  }

  /** The answer to a pre-flight request, or undefined when the request is not one. */
  preflight(request: Request): Response | undefined {
    if (request.method !== 'OPTIONS') return undefined
    const method = request.headers.get('access-control-request-method')
    const origin = request.headers.get('origin')
    if (!method || !origin) return undefined
    if (!this.origins.has(origin)) {
      return new Response('Disallowed CORS origin', {
        status: 400,
        headers: { 'content-type': 'text/plain', vary: 'Origin' },
      })
    }
    return new Response('OK', {
      status: 200,
      headers: {
        ...this.headersFor(request),
        'access-control-allow-methods': ALLOW_METHODS,
        'access-control-allow-headers':
          request.headers.get('access-control-request-headers') ?? 'authorization, content-type',
        'access-control-max-age': '600',
        'content-type': 'text/plain',
      },
    })
  }
}
