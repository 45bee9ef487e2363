import { describe, expect, it } from 'vitest'
import { splitJsonItems } from './ingest.ts'

async function split(chunks: string[]): Promise<Array<{ line: number; text: string }>> {
  async function* gen() {
    for (const c of chunks) yield c
  }
  const out = []
  for await (const item of splitJsonItems(gen())) out.push(item)
  return out
}

describe('splitJsonItems', () => {
  it('splits JSON lines across chunk boundaries, keeping line numbers', async () => {
    expect(await split(['{"a":1}\n{"b"', ':2}\n\n{"c":3}'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' },
    ])
  })

  it('cuts the elements of a JSON array, with brackets and commas inside strings', async () => {
    expect(await split(['  [{"a":"x,]}"},', ' {"b":[1,2', ']} , 3]'])).toEqual([
      { line: 1, text: '{"a":"x,]}"}' },
      { line: 2, text: '{"b":[1,2]}' },
      { line: 3, text: '3' },
    ])
  })
})
