#!/usr/bin/env node
// `pnpm bench`: runs every `bench/*.bench.ts` of the workspace, one process each (so peak RSS
// figures are per benchmark), and prints their figures. `pnpm bench selector` runs the
// benchmarks whose file name contains "selector".
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const filter = process.argv.slice(2)
const files = []
for (const group of ['packages', 'apps']) {
  for (const pkg of readdirSync(join(root, group))) {
    const dir = join(root, group, pkg, 'bench')
    if (!existsSync(dir)) continue
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.bench.ts') && (filter.length === 0 || filter.some((w) => f.includes(w)))) {
        files.push(join(dir, f))
      }
    }
  }
}
let failed = 0
for (const file of files) {
  console.log(`\n=== ${file.slice(root.length)}`)
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', join(root, 'node_modules/tsx/dist/cli.mjs'), file],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  if (r.status !== 0) failed += 1
}
process.exit(failed ? 1 : 0)
