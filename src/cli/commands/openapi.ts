import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { buildApp, openapiDocument } from '../../api/app.ts'
import { configFromObject } from '../../config/load.ts'
import { Rpc } from '../../rpc/rpc.ts'
import { logRing } from '../../util/logger.ts'
import { parseCommandArgs } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** The OpenAPI document as committed: built from a default config, so it does not depend on anyone's settings. */
export async function generateOpenapi(): Promise<string> {
  const config = configFromObject({})
  const app = buildApp({ rpc: new Rpc({ config, runmode: 'webserver', logRing }), api: config.api_server })
  return `${JSON.stringify(await openapiDocument(app), null, 2)}\n`
}

/** `tern openapi`: writes the document without opening a database, an exchange or a port. */
export async function openapiCommand(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    console.log(COMMANDS.openapi!.usage)
    return 0
  }
  const output = values.output ?? 'openapi/openapi.json'
  mkdirSync(dirname(output), { recursive: true })
  writeFileSync(output, await generateOpenapi())
  console.log(`wrote ${output}`)
  return 0
}
