import { Elysia } from 'elysia'
import { exchangeCatalogue } from '../../rpc/catalogues.ts'
import { privateErrors } from '../schemas/common.ts'
import { Exchanges, FreqaiModels, HyperoptLosses } from '../schemas/webserver.ts'

const noLosses = () => ({ loss_functions: [] })

/** Catalogues FreqUI reads in webserver mode (§12.1–12.3). Tern has no FreqAI and no hyperopt losses yet. */
export const catalogueRoutes = () =>
  new Elysia({ tags: ['catalogues'] })
    .get('/exchanges', () => exchangeCatalogue(), {
      response: { 200: Exchanges, ...privateErrors },
      detail: { summary: 'Exchanges Tern can connect to (ccxt ids and the simulator)' },
    })
    .get('/freqaimodels', () => ({ freqaimodels: [] }), {
      response: { 200: FreqaiModels, ...privateErrors },
      detail: { summary: 'FreqAI models (none)' },
    })
    .get('/hyperoptloss', noLosses, {
      response: { 200: HyperoptLosses, ...privateErrors },
      detail: { summary: 'Hyperopt loss functions (none yet)' },
    })
    .get('/hyperopt-loss', noLosses, {
      response: { 200: HyperoptLosses, ...privateErrors },
      detail: { summary: 'Alias of /hyperoptloss' },
    })
