import { exchangeIds } from '../util/ccxtParts.ts'

/** Exchanges that are exercised by Tern's own tests (the simulator speaks Binance's API). */
const SUPPORTED = new Set(['binance', 'sim'])

/** `GET /exchanges`: every ccxt exchange plus the simulator, spot only. */
export function exchangeCatalogue() {
  const ids = ['sim', ...exchangeIds()]
  return {
    exchanges: ids.map((id) => ({
      name: id === 'sim' ? 'Tern simulator' : id,
      classname: id,
      valid: true,
      supported: SUPPORTED.has(id),
      comment: id === 'sim' ? 'Simulated exchange on loopback, no keys needed' : '',
      dex: false,
      is_alias: false,
      alias_for: null,
      trade_modes: [{ trading_mode: 'spot', margin_mode: '' }],
    })),
  }
}
