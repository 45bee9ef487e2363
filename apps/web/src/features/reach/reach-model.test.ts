import { describe, expect, it } from 'vitest'
import { reachRequest, sideOf } from './reach-model.ts'

describe('reach form', () => {
  it.each([
    ['10.0.0.1', { ip: '10.0.0.1' }],
    ['fd00::1', { ip: 'fd00::1' }],
    ['shop/web-0', { endpoint: 'shop/web-0' }],
    ['node-1', { endpoint: 'node-1' }],
    ['  ', undefined],
  ])('reads %j', (text, side) => {
    expect(sideOf(text)).toEqual(side)
  })

  it('needs both sides, a protocol and a valid port', () => {
    const base = { source: 'a/b', destination: '8.8.8.8', protocol: 'TCP', port: '443' }
    expect(reachRequest(base)).toEqual({
      source: { endpoint: 'a/b' },
      destination: { ip: '8.8.8.8' },
      protocol: 'TCP',
      port: 443,
    })
    expect(reachRequest({ ...base, port: '' })).not.toHaveProperty('port')
    expect(reachRequest({ ...base, port: '70000' })).toBeUndefined()
    expect(reachRequest({ ...base, destination: '' })).toBeUndefined()
  })
})
