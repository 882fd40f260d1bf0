/** A JSON response with exactly `application/json` as its type (freqtrade's clients compare the header literally). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonTextResponse(status, JSON.stringify(body), headers)
}

/** The same for a body already serialized. */
export function jsonTextResponse(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { ...headers, 'content-type': 'application/json' } })
}
