import { Elysia, t } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import { privateErrors } from '../schemas/common.ts'
import {
  Balance,
  EntryRow,
  ExitRow,
  MixTagRow,
  PerformanceRow,
  PeriodicProfit,
  Profit,
  Stats,
} from '../schemas/stats.ts'

const pairFilter = t.Object({ pair: t.Optional(t.String()) })
const timescale = t.Object({ timescale: t.Optional(t.Integer()) })

/** Profit, per-pair and per-tag results, periodic profit and the wallet (§9). */
export const statsRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['stats'] })
    .get('/profit', () => rpc.profit(), {
      response: { 200: Profit, ...privateErrors },
      detail: { summary: 'Profit of closed and open trades, win rate, drawdown' },
    })
    .get('/performance', () => rpc.performance(), {
      response: { 200: t.Array(PerformanceRow), ...privateErrors },
      detail: { summary: 'Closed-trade profit per pair, best first' },
    })
    .get('/entries', ({ query }) => rpc.entries(query.pair), {
      query: pairFilter,
      response: { 200: t.Array(EntryRow), ...privateErrors },
      detail: { summary: 'Closed-trade profit per entry tag' },
    })
    .get('/exits', ({ query }) => rpc.exits(query.pair), {
      query: pairFilter,
      response: { 200: t.Array(ExitRow), ...privateErrors },
      detail: { summary: 'Closed-trade profit per exit reason' },
    })
    .get('/mix_tags', ({ query }) => rpc.mixTags(query.pair), {
      query: pairFilter,
      response: { 200: t.Array(MixTagRow), ...privateErrors },
      detail: { summary: 'Closed-trade profit per entry tag and exit reason' },
    })
    .get('/stats', () => rpc.stats(), {
      response: { 200: Stats, ...privateErrors },
      detail: { summary: 'Wins, losses and draws per exit reason; mean durations' },
    })
    .get('/daily', ({ query }) => rpc.periodicProfit('days', query.timescale ?? 7), {
      query: timescale,
      response: { 200: PeriodicProfit, ...privateErrors },
      detail: { summary: 'Profit per UTC day, newest first (default 7 days)' },
    })
    .get('/weekly', ({ query }) => rpc.periodicProfit('weeks', query.timescale ?? 4), {
      query: timescale,
      response: { 200: PeriodicProfit, ...privateErrors },
      detail: { summary: 'Profit per ISO week (from Monday), newest first (default 4 weeks)' },
    })
    .get('/monthly', ({ query }) => rpc.periodicProfit('months', query.timescale ?? 3), {
      query: timescale,
      response: { 200: PeriodicProfit, ...privateErrors },
      detail: { summary: 'Profit per calendar month, newest first (default 3 months)' },
    })
    .get('/balance', () => rpc.balance(), {
      response: { 200: Balance, ...privateErrors },
      detail: { summary: 'Wallet balances valued in the stake currency' },
    })
