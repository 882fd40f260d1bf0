import { startStrategy } from './botStart.ts'
import { type LoaderOptions, loadStrategyWithFile } from './loader.ts'
import { applyConfigOverrides, type StrategyOverrides, type StrategySettings } from './settings.ts'
import type { Strategy } from './strategy.ts'

/**
 * A strategy ready to analyse or trade, as the bot, a backtest, each analysis worker and the analysis commands need
 * it: loaded (its parameter file applied), the config's overrides applied, started (`botStart`); with its file.
 */
export async function loadReadyStrategy(
  name: string,
  search: LoaderOptions,
  overrides: StrategyOverrides,
): Promise<{ strategy: Strategy; settings: StrategySettings; file: string }> {
  const { strategy, file } = await loadStrategyWithFile(name, search)
  const settings = applyConfigOverrides(strategy, overrides)
  startStrategy(strategy)
  return { strategy, settings, file }
}
