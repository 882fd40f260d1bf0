import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCommandArgs } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** The committed example config is the template; the new file gets its own password and JWT secret. */
export const EXAMPLE_CONFIG_PATH = join(import.meta.dir, '..', '..', '..', 'config.example.json')

export function newConfigText(): string {
  const secret = () => randomBytes(24).toString('base64url')
  return readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')
    .replace('"password": "tern"', `"password": "${secret()}"`)
    .replace('"jwt_secret_key": "change-this-secret"', `"jwt_secret_key": "${secret()}"`)
}

/** `tern new-config`: writes a commented example config; never overwrites without --force. */
export function newConfigCommand(argv: string[]): number {
  const values = parseCommandArgs(argv, {
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    console.log(COMMANDS['new-config']!.usage)
    return 0
  }
  const output = values.output ?? 'config.json'
  if (existsSync(output) && !values.force) {
    console.error(`${output} exists; pass --force to overwrite it`)
    return 1
  }
  writeFileSync(output, newConfigText())
  console.log(`wrote ${output} (API user "tern", with a generated password: see api_server.password)`)
  return 0
}
