import { Elysia, t } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import { DetailError, privateErrors } from '../schemas/common.ts'
import {
  BackgroundJob,
  JobStarted,
  PairlistEvaluateBody,
  PairlistEvaluateResult,
  PairlistsAvailable,
} from '../schemas/webserver.ts'

const webserverErrors = { ...privateErrors, 400: DetailError, 404: DetailError, 503: DetailError }

/** FreqUI's pairlist builder and background jobs; webserver mode only (§12.4–12.7). */
export const pairlistRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['pairlists'] })
    .onBeforeHandle(() => rpc.requireWebserver())
    .get('/pairlists/available', () => rpc.pairlistsAvailable(), {
      response: { 200: PairlistsAvailable, ...webserverErrors },
      detail: { summary: 'Pairlist and filter plugins with their parameters' },
    })
    .post('/pairlists/evaluate', ({ body }) => rpc.evaluatePairlists(body), {
      body: PairlistEvaluateBody,
      response: { 200: JobStarted, ...webserverErrors },
      detail: { summary: 'Build a whitelist from pairlist settings in the background' },
    })
    .get('/pairlists/evaluate/:jobid', ({ params }) => rpc.pairlistEvaluation(params.jobid), {
      params: t.Object({ jobid: t.String() }),
      response: { 200: PairlistEvaluateResult, ...webserverErrors },
      detail: { summary: 'Result of a pairlist evaluation' },
    })
    .get('/background', () => rpc.backgroundJobs(), {
      response: { 200: t.Array(BackgroundJob), ...webserverErrors },
      detail: { summary: 'Background jobs of the webserver' },
    })
    .get('/background/:jobid', ({ params }) => rpc.backgroundJob(params.jobid), {
      params: t.Object({ jobid: t.String() }),
      response: { 200: BackgroundJob, ...webserverErrors },
      detail: { summary: 'One background job' },
    })
