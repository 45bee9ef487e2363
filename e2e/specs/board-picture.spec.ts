import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, removeSeed, test } from '../fixtures.ts'

// This file sorts first, so the picture shows the demo before other journeys change it.
test('the board, for the README', async ({ board, page, request }, testInfo) => {
  // The picture shows the demo cluster alone.
  await removeSeed(request)
  await page.emulateMedia({ colorScheme: 'light' })
  await board.goto()
  await expect(board.column('security')).toBeVisible()
  await expect(board.column('e2e-order')).toHaveCount(0)
  const shot = testInfo.outputPath('board.png')
  await page.screenshot({ path: shot })
  await testInfo.attach('board', { path: shot })
  // `UPDATE_DOCS_PICTURE=1 pnpm test e2e` refreshes the README's picture; a plain test run
  // leaves the working tree as it found it.
  if (process.env.UPDATE_DOCS_PICTURE === '1') {
    const docs = join(import.meta.dirname, '..', '..', 'docs')
    mkdirSync(docs, { recursive: true })
    await page.screenshot({ path: join(docs, 'board.png') })
  }
})
