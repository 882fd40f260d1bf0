import { Kind, type TSchema } from '@sinclair/typebox'

/** What a schema accepts, in words, for error messages ("one of 'limit', 'market'", "an integer >= 1"). */
export function describeExpected(schema: TSchema): string {
  const kind = schema[Kind] as string
  if (kind === 'Union') {
    const options = (schema.anyOf as TSchema[]).map(describeExpected)
    return options.every((o) => o.startsWith("'")) ? `one of ${options.join(', ')}` : options.join(' or ')
  }
  if (kind === 'Literal') return JSON.stringify(schema.const).replace(/"/g, "'")
  const bounds: string[] = []
  if (schema.minimum !== undefined) bounds.push(`>= ${schema.minimum}`)
  if (schema.exclusiveMinimum !== undefined) bounds.push(`> ${schema.exclusiveMinimum}`)
  if (schema.maximum !== undefined) bounds.push(`<= ${schema.maximum}`)
  if (schema.exclusiveMaximum !== undefined) bounds.push(`< ${schema.exclusiveMaximum}`)
  const range = bounds.length ? ` ${bounds.join(' and ')}` : ''
  switch (kind) {
    case 'Integer':
      return `an integer${range}`
    case 'Number':
      return `a number${range}`
    case 'Boolean':
      return 'true or false'
    case 'String': {
      if (schema.description) return `a string (${schema.description})`
      if (schema.minLength) return 'a non-empty string'
      return 'a string'
    }
    case 'Array':
      return `a list of ${describeExpected(schema.items as TSchema).replace(/^an? /, '')}s`
    case 'Object':
    case 'Record':
      return 'an object'
    default:
      return kind.toLowerCase()
  }
}
