/** Line diff of two texts (longest common subsequence), for before/after YAML. */

/** One line of a diff: kept, removed (only before) or added (only after). */
export interface DiffLine {
  op: 'same' | 'del' | 'add'
  text: string
  /** 1-based line number in the before text (same, del). */
  before?: number
  /** 1-based line number in the after text (same, add). */
  after?: number
}

function lines(text: string): string[] {
  if (text === '') return []
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n')
}

/**
 * The line diff of `before` → `after`. Deletions come before additions within a change.
 * O(n·m) in memory; resources are at most a few thousand lines.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = lines(before)
  const b = lines(after)
  const n = a.length
  const m = b.length
  // lcs[i][j]: length of the LCS of a[i..] and b[j..], flattened.
  const lcs = new Uint32Array((n + 1) * (m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * (m + 1) + j + 1] as number) + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j] as number, lcs[i * (m + 1) + j + 1] as number)
    }
  }
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: 'same', text: a[i] as string, before: i + 1, after: j + 1 })
      i++
      j++
    } else if (
      j >= m ||
      (i < n && (lcs[(i + 1) * (m + 1) + j] as number) >= (lcs[i * (m + 1) + j + 1] as number))
    ) {
      out.push({ op: 'del', text: a[i] as string, before: i + 1 })
      i++
    } else {
      out.push({ op: 'add', text: b[j] as string, after: j + 1 })
      j++
    }
  }
  return out
}

/** A row of a side-by-side view: the before line on the left, the after line on the right. */
export interface SideBySideRow {
  left?: DiffLine
  right?: DiffLine
}

/** Pairs deletions with the additions that follow them, for a two-column view. */
export function sideBySide(diff: readonly DiffLine[]): SideBySideRow[] {
  const rows: SideBySideRow[] = []
  let k = 0
  while (k < diff.length) {
    const line = diff[k] as DiffLine
    if (line.op === 'same') {
      rows.push({ left: line, right: line })
      k++
      continue
    }
    const dels: DiffLine[] = []
    const adds: DiffLine[] = []
    while (k < diff.length && (diff[k] as DiffLine).op === 'del') dels.push(diff[k++] as DiffLine)
    while (k < diff.length && (diff[k] as DiffLine).op === 'add') adds.push(diff[k++] as DiffLine)
    for (let r = 0; r < Math.max(dels.length, adds.length); r++) {
      const row: SideBySideRow = {}
      if (dels[r]) row.left = dels[r]
      if (adds[r]) row.right = adds[r]
      rows.push(row)
    }
  }
  return rows
}
