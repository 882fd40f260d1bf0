/** One HTTP POST for notifiers: throws on a network error, a timeout or a non-2xx answer (the queue retries). */
export async function postOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  const host = new URL(url).host
  let res: Response
  try {
    res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    // Webhook URLs can carry tokens (Discord's do): name only the host.
    const message = (err as Error).message.replaceAll(url, host)
    throw new Error(`POST to ${host} failed: ${message}`)
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '')
    throw new Error(`HTTP ${res.status} from ${host}${text ? `: ${text.slice(0, 200)}` : ''}`)
  }
  await res.arrayBuffer().catch(() => undefined)
}
