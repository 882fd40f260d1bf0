import { setDefaultTimeout } from 'bun:test'
import { createRootLogger, setRootLogger } from '../src/util/logger.ts'

// Tests keep every log line in the ring (the /logs tests read it) but print only warnings and worse.
const sink = { write: () => true } as unknown as NodeJS.WritableStream
setRootLogger(
  createRootLogger({ format: 'json', level: process.env.TERN_TEST_LOG_LEVEL ?? 'debug', destination: sink }),
)

// Several tests start servers and processes; on a loaded 2-core machine 5 s is too tight.
setDefaultTimeout(30_000)
