import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseSelector, selectorUniqueId } from './index.ts'
import { base64Url, sha224 } from './unique-id.ts'

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

describe('sha224', () => {
  // FIPS 180-4 example vectors.
  it.each([
    ['', 'd14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f'],
    ['abc', '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525',
    ],
  ])('hashes %j', (input, digest) => {
    expect(hex(sha224(new TextEncoder().encode(input)))).toBe(digest)
  })
})

describe('sha224 against node:crypto', () => {
  it('agrees on random inputs of every padding length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(hex(sha224(bytes))).toBe(createHash('sha224').update(bytes).digest('hex'))
        expect(base64Url(sha224(bytes))).toBe(
          createHash('sha224').update(bytes).digest('base64url'),
        )
      }),
      { numRuns: 500 },
    )
  })
})

describe('base64Url', () => {
  it.each([
    [[], ''],
    [[0xff], '_w'],
    [[0xfb, 0xff], '-_8'],
    [[1, 2, 3], 'AQID'],
  ] as [number[], string][])('encodes %j', (bytes, text) => {
    expect(base64Url(new Uint8Array(bytes))).toBe(text)
  })
})

describe('selectorUniqueId', () => {
  // Calico's parser_test.go canonicalisation table.
  it.each([
    ['', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    [' all() ', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    [' (all() )', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    ['! (has( b)||! has(a ))', 's:Iss0uCleLYv1GSv_pNm7hAO58kE9jAx1NKyG3Q'],
    ['! (a == "b"&&! c != "d")', 's:lh3haoY1ikTRkd4UZu0nWSaIBknYLPJLX16d-w'],
  ])('%j has the ID %j', (text, id) => {
    expect(selectorUniqueId(text)).toBe(id)
    expect(selectorUniqueId(parseSelector(text.trim()))).toBe(id)
  })
})
