import { describe, expect, test } from 'bun:test'
import { filePathOf, maskDbUrl, resolveDbUrl } from '../../../src/db/url.ts'

const base = { dryRun: false, userDataDir: 'user_data', cwd: '/srv/bot', env: {} }

describe('resolveDbUrl', () => {
  test('no db_url: tradesv3.sqlite in the user data dir, the dry-run file when dry-running', () => {
    expect(resolveDbUrl(undefined, base)).toEqual({ url: 'file:/srv/bot/user_data/tradesv3.sqlite', kind: 'file' })
    expect(resolveDbUrl('', { ...base, dryRun: true })).toEqual({
      url: 'file:/srv/bot/user_data/tradesv3.dryrun.sqlite',
      kind: 'file',
    })
    expect(resolveDbUrl(undefined, { ...base, userDataDir: '/data/ud' }).url).toBe('file:/data/ud/tradesv3.sqlite')
  })

  test('file: URLs, relative ones against cwd', () => {
    expect(resolveDbUrl('file:db/trades.sqlite', base)).toEqual({ url: 'file:/srv/bot/db/trades.sqlite', kind: 'file' })
    expect(resolveDbUrl('file:/var/lib/t.sqlite', base).url).toBe('file:/var/lib/t.sqlite')
    expect(resolveDbUrl('file:///var/lib/t.sqlite', base).url).toBe('file:/var/lib/t.sqlite')
    expect(resolveDbUrl('file://localhost/var/lib/t.sqlite', base).url).toBe('file:/var/lib/t.sqlite')
  })

  test("freqtrade's sqlite URLs: three slashes relative, four absolute, none in memory", () => {
    expect(resolveDbUrl('sqlite:///tradesv3.sqlite', base)).toEqual({
      url: 'file:/srv/bot/tradesv3.sqlite',
      kind: 'file',
    })
    expect(resolveDbUrl('sqlite:////var/lib/tradesv3.sqlite', base).url).toBe('file:/var/lib/tradesv3.sqlite')
    expect(resolveDbUrl('sqlite://', base)).toEqual({ url: ':memory:', kind: 'memory' })
    expect(resolveDbUrl(':memory:', base)).toEqual({ url: ':memory:', kind: 'memory' })
  })

  test('characters that mean something in a URL are escaped in file paths and read back', () => {
    const target = resolveDbUrl(undefined, { ...base, userDataDir: '/data/50% #1?' })
    expect(target.url).toBe('file:/data/50%25 %231%3F/tradesv3.sqlite')
    expect(filePathOf(target.url)).toBe('/data/50% #1?/tradesv3.sqlite')
    expect(filePathOf(':memory:')).toBeUndefined()
    expect(filePathOf('libsql://db.example.com')).toBeUndefined()
  })

  test('remote URLs take the token from the query, else from the environment', () => {
    expect(resolveDbUrl('libsql://bots-acme.turso.io?authToken=tok123', base)).toEqual({
      url: 'libsql://bots-acme.turso.io',
      authToken: 'tok123',
      kind: 'remote',
    })
    expect(resolveDbUrl('http://127.0.0.1:8080?tls=0&authToken=a%2Bb', base)).toEqual({
      url: 'http://127.0.0.1:8080?tls=0',
      authToken: 'a+b',
      kind: 'remote',
    })
    expect(resolveDbUrl('https://db.example.com', { ...base, env: { TERN_DB_AUTH_TOKEN: 'from-tern' } })).toEqual({
      url: 'https://db.example.com',
      authToken: 'from-tern',
      kind: 'remote',
    })
    expect(resolveDbUrl('wss://db.example.com', { ...base, env: { LIBSQL_AUTH_TOKEN: 'from-libsql' } }).authToken).toBe(
      'from-libsql',
    )
    // The query wins over the environment; no token at all is allowed (sqld without auth).
    expect(resolveDbUrl('ws://h:1?authToken=q', { ...base, env: { TERN_DB_AUTH_TOKEN: 'e' } }).authToken).toBe('q')
    expect(resolveDbUrl('ws://h:1', base)).toEqual({ url: 'ws://h:1', kind: 'remote' })
  })

  test('anything else is an error naming db_url, the masked value and the accepted forms', () => {
    const bad = [
      'postgresql+psycopg2://bot:hunter2@db/trades?authToken=s3cret',
      'mysql://localhost/trades',
      'tradesv3.sqlite',
      'sqlite:tradesv3.sqlite',
      'file://otherhost/x.sqlite',
      'libsql://',
    ]
    for (const value of bad) {
      let message = ''
      try {
        resolveDbUrl(value, base)
      } catch (err) {
        message = (err as Error).message
      }
      expect(message).toStartWith('db_url: ')
      expect(message).toContain('sqlite:///<relative path>')
      expect(message).toContain('libsql://<host>')
      expect(message).not.toContain('hunter2')
      expect(message).not.toContain('s3cret')
    }
    expect(maskDbUrl('postgresql://bot:hunter2@db/trades?x=1&authToken=s3cret')).toBe(
      'postgresql://bot:***@db/trades?x=1&authToken=***',
    )
  })
})
