/** A JSON response with exactly `application/json` as its type (freqtrade's clients compare the header literally). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...headers, 'content-type': 'application/json' } })
}
