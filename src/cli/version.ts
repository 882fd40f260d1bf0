import { TERN_VERSION } from '../rpc/rpc.ts'

/**
 * `tern --version`: Tern's and Bun's versions, and the JavaScript engine settings this process started with (the
 * `BUN_JSC_*` variables, which `bin/tern` sets from `bin/runtime.env`), since they change how fast backtests run.
 */
export function versionText(env: Record<string, string | undefined>): string {
  const engine = Object.keys(env)
    .filter((k) => k.startsWith('BUN_JSC_'))
    .sort()
    .map((k) => `${k}=${env[k]}`)
  return [`tern ${TERN_VERSION}`, `Bun ${Bun.version}`, `engine settings: ${engine.join(' ') || 'none'}`].join('\n')
}
