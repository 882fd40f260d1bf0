/**
 * Worker entry for `loadPairsHistory`: loads one pair per message and sends its columns back by transfer.
 * Protocol (`loadProtocol.ts`): out 'ready' once loaded; then for each `{ job, opts }` in, out
 * `{ job, columns, before, added }` (columns transferred) or `{ job, error }`.
 */
import { errorToMessage, type LoadJob, type LoadReply, ownedColumns } from './loadProtocol.ts'
import { loadPairCandles } from './readPair.ts'

declare const self: Worker

self.onmessage = async (event: MessageEvent<LoadJob>) => {
  const { job, opts } = event.data
  try {
    const { candles, before, added } = await loadPairCandles(opts)
    const columns = ownedColumns(candles)
    const reply: LoadReply = { job, columns, before, added }
    self.postMessage(
      reply,
      columns.map((c) => c.buffer as ArrayBuffer),
    )
  } catch (err) {
    const reply: LoadReply = { job, error: errorToMessage(err) }
    self.postMessage(reply)
  }
}

self.postMessage('ready')
