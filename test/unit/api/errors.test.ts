import { describe, expect, test } from 'bun:test'
import { locateCoercedValue, validationItems } from '../../../src/api/errors.ts'

describe('validationItems', () => {
  test('a missing field is type missing with input null', () => {
    const items = validationItems(
      'query',
      [{ path: '/pair', value: undefined, message: 'Required', schema: { type: 'string' } }],
      {},
    )
    expect(items).toEqual([{ type: 'missing', loc: ['query', 'pair'], msg: 'Field required', input: null }])
  })

  test('enum, integer and number failures get pydantic codes; one item per field', () => {
    const items = validationItems(
      'body',
      [
        { path: '/side', value: 'up', message: 'x', schema: { anyOf: [{ const: 'long' }, { const: 'short' }] } },
        { path: '/side', value: 'up', message: 'x', schema: { const: 'long' } },
        { path: '/tradeid', value: 'x', message: 'x', schema: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
        { path: '/price', value: 'y', message: 'x', schema: { type: 'number' } },
        { path: '/pairs/1', value: 3, message: 'Expected string', schema: { type: 'string' } },
      ],
      {},
    )
    expect(items.map((i) => [i.type, i.loc])).toEqual([
      ['enum', ['body', 'side']],
      ['int_parsing', ['body', 'tradeid']],
      ['float_parsing', ['body', 'price']],
      ['string_type', ['body', 'pairs', 1]],
    ])
    expect(items[0]!.msg).toBe("Input should be 'long', 'short'")
  })

  test('params are reported as path', () => {
    const items = validationItems(
      'params',
      [{ path: '/tradeid', value: 'a', message: 'x', schema: { type: 'integer' } }],
      {},
    )
    expect(items[0]!.loc).toEqual(['path', 'tradeid'])
  })
})

describe('locateCoercedValue', () => {
  test('finds the key whose raw string became the failing number', () => {
    expect(locateCoercedValue(-5, { query: { pair: 'ETH/USDT', limit: '-5' }, path: {} })).toEqual(['query', 'limit'])
    expect(locateCoercedValue(0, { query: {}, path: { tradeid: '0' } })).toEqual(['path', 'tradeid'])
    expect(locateCoercedValue(7, { query: { a: '' } })).toEqual(['query'])
  })
})
