// Worker side of frame.test.ts's transfer round trip: rebuild the frame, add a column, send it all back by transfer.
import { Frame, type TransferableFrame } from '../../../src/frame/frame.ts'

declare const self: Worker

self.onmessage = (event: MessageEvent<TransferableFrame>) => {
  const df = Frame.fromTransferable(event.data)
  const close = df.col('close')
  const doubled = new Float64Array(df.length)
  for (let i = 0; i < df.length; i++) doubled[i] = close[i] * 2
  df.set('close_x2', doubled)
  const back = df.toTransferable()
  self.postMessage(back, back.buffers)
}
