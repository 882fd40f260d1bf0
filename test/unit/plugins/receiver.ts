/** A real HTTP receiver on loopback that records what it is sent. */
export interface Received {
  path: string
  headers: Headers
  body: string
}

export function receiver(answer?: (n: number, r: Received) => Response | Promise<Response>) {
  const requests: Received[] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const r = { path: new URL(req.url).pathname, headers: req.headers, body: await req.text() }
      requests.push(r)
      return answer ? answer(requests.length, r) : new Response('ok')
    },
  })
  return { url: `http://127.0.0.1:${server.port}/hook`, requests, stop: () => server.stop(true) }
}

/** Waits until `cond` holds (polling), failing after `ms`. */
export async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = performance.now() + ms
  while (!cond()) {
    if (performance.now() > end) throw new Error('condition not met in time')
    await Bun.sleep(5)
  }
}
