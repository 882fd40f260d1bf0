#!/usr/bin/env bun
import { ConfigError } from '../config/errors.ts'
import { UsageError } from './args.ts'
import { backtestingCommand, backtestingShowCommand } from './commands/backtesting.ts'
import { createUserdirCommand } from './commands/createUserdir.ts'
import { convertDataCommand, downloadDataCommand, listDataCommand } from './commands/data.ts'
import { listExchangesCommand, listMarketsCommand, listTimeframesCommand } from './commands/exchangeLists.ts'
import { listPluginsCommand } from './commands/listPlugins.ts'
import { listStrategiesCommand } from './commands/listStrategies.ts'
import { lookaheadCommand } from './commands/lookahead.ts'
import { newConfigCommand } from './commands/newConfig.ts'
import { newStrategyCommand } from './commands/newStrategy.ts'
import { openapiCommand } from './commands/openapi.ts'
import { recursiveCommand } from './commands/recursive.ts'
import { showConfigCommand } from './commands/showConfig.ts'
import { showTradesCommand } from './commands/showTrades.ts'
import { simCommand } from './commands/sim.ts'
import { testPairlistCommand } from './commands/testPairlist.ts'
import { tradeCommand } from './commands/trade.ts'
import { webserverCommand } from './commands/webserver.ts'
import { COMMANDS, mainUsage } from './usage.ts'
import { versionText } from './version.ts'

type Command = (argv: string[]) => number | Promise<number>

const HANDLERS: Record<string, Command> = {
  trade: tradeCommand,
  webserver: webserverCommand,
  'new-config': newConfigCommand,
  'create-userdir': createUserdirCommand,
  'new-strategy': newStrategyCommand,
  'show-config': showConfigCommand,
  openapi: openapiCommand,
  sim: simCommand,
  'download-data': downloadDataCommand,
  'list-data': listDataCommand,
  'convert-data': convertDataCommand,
  'list-strategies': listStrategiesCommand,
  'show-trades': showTradesCommand,
  'test-pairlist': testPairlistCommand,
  'list-markets': (argv) => listMarketsCommand(argv, 'list-markets'),
  'list-pairs': (argv) => listMarketsCommand(argv, 'list-pairs'),
  'list-timeframes': listTimeframesCommand,
  'list-exchanges': listExchangesCommand,
  'list-plugins': listPluginsCommand,
  backtesting: backtestingCommand,
  'backtesting-show': backtestingShowCommand,
  'lookahead-analysis': lookaheadCommand,
  'recursive-analysis': recursiveCommand,
}

/** Runs one command line; returns the exit code. Known failures print one clear message, no stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainUsage())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(versionText(process.env))
    return 0
  }
  const handler = HANDLERS[name]
  if (!handler) {
    console.error(`unknown command '${name}'\n\n${mainUsage()}`)
    return 2
  }
  try {
    return await handler(rest)
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${COMMANDS[name]?.usage ?? mainUsage()}`)
      return 2
    }
    if (e instanceof ConfigError) {
      console.error(e.message)
      return 1
    }
    // failures carry a clear message; the stack trace is for developers who ask for it
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`)
    if (process.env.TERN_DEBUG && e instanceof Error) console.error(e.stack)
    return 1
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2))
}
