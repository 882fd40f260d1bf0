import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { COMMON_ARG_OPTIONS, configFromArgs, parseCommandArgs } from '../args.ts'
import { COMMANDS } from '../usage.ts'

/** The folders of a user data directory that Tern reads or writes. */
export const USER_DATA_FOLDERS = ['strategies', 'data', 'backtest_results'] as const

/**
 * `tern create-userdir`: the user data folder and its subfolders (freqtrade's `create-userdir`), at `--userdir` or the
 * config's `user_data_dir`; existing folders are left as they are.
 */
export function createUserdirCommand(argv: string[]): number {
  const values = parseCommandArgs(argv, COMMON_ARG_OPTIONS)
  if (values.help) {
    console.log(COMMANDS['create-userdir']!.usage)
    return 0
  }
  const { config } = configFromArgs(values, { optional: true })
  const root = resolve(config.user_data_dir)
  for (const folder of ['', ...USER_DATA_FOLDERS]) {
    const path = join(root, folder)
    if (existsSync(path)) continue
    mkdirSync(path, { recursive: true })
    console.log(`created ${path}`)
  }
  console.log(`user data folder ready: ${root}`)
  return 0
}
