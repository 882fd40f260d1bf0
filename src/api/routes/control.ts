import { Elysia } from 'elysia'
import type { Rpc } from '../../rpc/rpc.ts'
import { NoBody, privateErrors, StatusMessage } from '../schemas/common.ts'

const command = { body: NoBody, response: { 200: StatusMessage, ...privateErrors } } as const

/** Bot control: start, stop, pause, stop entries, reload the configuration (§7.7–7.10). */
export const controlRoutes = (rpc: Rpc) =>
  new Elysia({ tags: ['control'] })
    .post('/start', () => rpc.start(), { ...command, detail: { summary: 'Start trading (from stopped or paused)' } })
    .post('/stop', () => rpc.stop(), {
      ...command,
      detail: { summary: 'Stop trading; open trades are no longer managed' },
    })
    .post('/pause', () => rpc.pause(), {
      ...command,
      detail: { summary: 'No new entries; open trades are still managed' },
    })
    .post('/stopentry', () => rpc.stopEntry(), {
      ...command,
      detail: { summary: 'No new entries until the config is reloaded (max_open_trades = 0)' },
    })
    .post('/stopbuy', () => rpc.stopEntry(), { ...command, detail: { summary: 'Alias of /stopentry' } })
    .post('/reload_config', () => rpc.reloadConfig(), {
      ...command,
      detail: { summary: 'Re-read the config files and rebuild the bot, keeping its trades' },
    })
