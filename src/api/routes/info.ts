import { Elysia } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import { privateErrors } from '../schemas/common.ts'
import { Health, Logs, LogsQuery, Ping, ShowConfig, SysInfo, Version } from '../schemas/info.ts'

/** System information: ping, version, configuration, host load, health and logs (§7.1–7.6). */
export const infoRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['info'] })
    .get('/ping', () => ({ status: 'pong' as const }), {
      response: { 200: Ping },
      detail: { summary: 'Liveness check (public)', security: [] },
    })
    .get('/version', () => rpc.version(), {
      response: { 200: Version, ...privateErrors },
      detail: { summary: 'Tern version' },
    })
    .get('/show_config', () => rpc.showConfig(), {
      response: { 200: ShowConfig, ...privateErrors },
      detail: { summary: 'Public part of the running configuration' },
    })
    .get('/sysinfo', () => rpc.sysinfo(), {
      response: { 200: SysInfo, ...privateErrors },
      detail: { summary: 'Per-core CPU and memory use of the host (samples about one second)' },
    })
    .get('/health', () => rpc.health(), {
      response: { 200: Health, ...privateErrors },
      detail: { summary: 'Time of the last completed bot iteration' },
    })
    .get('/logs', ({ query }) => rpc.logs(query.limit), {
      query: LogsQuery,
      response: { 200: Logs, ...privateErrors },
      detail: { summary: 'Newest log records, oldest first' },
    })
