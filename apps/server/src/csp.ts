import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * CSP sources (`'sha256-…'`) of the inline scripts of the built web app's index.html (the
 * theme applied before first paint), so that `script-src` stays `'self'` plus exactly them.
 */
export function inlineScriptHashes(webDist: string): string[] {
  const file = join(webDist, 'index.html')
  if (!existsSync(file)) return []
  const html = readFileSync(file, 'utf8')
  const out: string[] = []
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    const body = m[1] ?? ''
    out.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`)
  }
  return out
}
