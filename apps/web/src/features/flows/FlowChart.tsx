import type { FlowTimeBucket } from '@policyboard/api'

const W = 900
const H = 140
const PAD = 24

/** Allowed (green) and denied (red) flows per time bucket, stacked bars. */
export function FlowChart({
  buckets: stored,
  from,
  to,
  step,
}: {
  buckets: readonly FlowTimeBucket[]
  /** Window start and end, UNIX seconds. */
  from: number
  to: number
  /** Bucket width, seconds. */
  step: number
}) {
  const buckets = fillBuckets(stored, from, to, step)
  const max = Math.max(1, ...buckets.map((b) => b.allowed + b.denied))
  const n = Math.max(1, buckets.length)
  const bw = (W - PAD) / n
  const y = (v: number) => ((H - PAD) * v) / max
  const total = buckets.reduce(
    (a, b) => ({ allowed: a.allowed + b.allowed, denied: a.denied + b.denied }),
    {
      allowed: 0,
      denied: 0,
    },
  )
  const fmt = (s: number) => new Date(s * 1000).toISOString().slice(5, 16).replace('T', ' ')
  return (
    <figure className="flows-chart" data-testid="flows.chart" style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        style={{ display: 'block', maxHeight: 200 }}
        role="img"
        aria-label={`${total.allowed} allowed and ${total.denied} denied flows over time`}
      >
        <text x={0} y={10}>
          {max}
        </text>
        <line x1={PAD} x2={W} y1={H - PAD} y2={H - PAD} stroke="currentColor" opacity={0.2} />
        {buckets.map((b, i) => {
          const x = PAD + i * bw
          const ha = y(b.allowed)
          const hd = y(b.denied)
          return (
            <g key={b.start}>
              <title>{`${fmt(b.start)}: ${b.allowed} allowed, ${b.denied} denied`}</title>
              <rect
                className="allow"
                x={x + 1}
                width={Math.max(1, bw - 2)}
                y={H - PAD - ha}
                height={ha}
              />
              <rect
                className="deny"
                x={x + 1}
                width={Math.max(1, bw - 2)}
                y={H - PAD - ha - hd}
                height={hd}
              />
            </g>
          )
        })}
        {buckets.length > 0 ? (
          <>
            <text x={PAD} y={H - 8}>
              {fmt(buckets[0]?.start ?? 0)}
            </text>
            <text x={W - 70} y={H - 8}>
              {fmt(buckets.at(-1)?.start ?? 0)}
            </text>
          </>
        ) : null}
      </svg>
      <figcaption className="muted" style={{ fontSize: 12 }}>
        <span style={{ color: 'var(--allow)' }}>■</span> {total.allowed} allowed ·{' '}
        <span style={{ color: 'var(--deny)' }}>■</span> {total.denied} denied (flows, UTC)
      </figcaption>
    </figure>
  )
}

/**
 * Every bucket of the window, in order, with zero for those without records (the store
 * returns only buckets that have some).
 */
export function fillBuckets(
  stored: readonly FlowTimeBucket[],
  from: number,
  to: number,
  step: number,
): FlowTimeBucket[] {
  const byStart = new Map(stored.map((b) => [b.start, b]))
  const out: FlowTimeBucket[] = []
  const first = Math.floor(from / step) * step
  for (let t = first; t < to && out.length < 2000; t += step) {
    out.push(byStart.get(t) ?? { start: t, allowed: 0, denied: 0, records: 0 })
  }
  return out
}
