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

describe('splitJsonItems decoding', () => {
  it('decodes a UTF-8 character cut between two pieces', async () => {
    const bytes = Buffer.from('{"a":"é€"}\n{"b":1}\n')
    // Cut inside "€" (3 bytes) and inside "é" (2 bytes).
    const pieces = [bytes.subarray(0, 7), bytes.subarray(7, 9), bytes.subarray(9)]
    async function* gen() {
      yield* pieces
    }
    const out = []
    for await (const item of splitJsonItems(gen())) out.push(item)
    expect(out).toEqual([
      { line: 1, text: '{"a":"é€"}' },
      { line: 2, text: '{"b":1}' },
    ])
  })
})
