/** The plugin system: contract, loader, managers. User plugins import from here (`Type` included). */
export { Type } from '@sinclair/typebox'
export type {
  AnyPlugin,
  NotifierEnv,
  NotifierHandler,
  NotifierPlugin,
  PairListPlugin,
  PairlistContext,
  PairlistEnv,
  PairlistHandler,
  PluginKind,
  ProtectionEnv,
  ProtectionHandler,
  ProtectionPlugin,
  ProtectionQuery,
  ProtectionResult,
} from './define.ts'
export { defineNotifier, definePairList, defineProtection, isPlugin } from './define.ts'
export { listPluginsText, type PairlistAvailable, pairlistsAvailable, schemaParams } from './describe.ts'
export {
  evaluatePairlists,
  type PairlistEvaluateRequest,
  type PairlistEvaluateResult,
  protectionTriggerEvent,
} from './evaluate.ts'
export * from './events.ts'
export { exchangePairlistSource, precisionModeOf } from './exchangeSource.ts'
export { compileWildcard, expandPairlist } from './expandPairlist.ts'
export { formatPayload, formatTemplate, pyDate } from './format.ts'
export type * from './inputs.ts'
export { BUILTIN_PLUGIN_DIR, loadPlugins } from './loader.ts'
export { isGlobalLocked, isPairLocked, type LockLike, pairLocksAt } from './locks.ts'
export { NotifierManager, type NotifierManagerOptions, notifierBlocks } from './notifierManager.ts'
export { type PairlistDataSource, PairlistManager, type PairlistManagerOptions } from './pairlistManager.ts'
export { ProtectionManager, performanceFromTrades } from './protectionManager.ts'
export { type PluginLoadProblem, PluginRegistry } from './registry.ts'
export type * from './telegramCommands.ts'
export { type PluginBlock, PluginConfigError, validatePluginConfig } from './validate.ts'
