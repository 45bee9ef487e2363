/** Web-only value types; every request and response shape comes from '@policyboard/api'. */

/** Hit-count windows offered by the board toolbar (a `Duration` of the API). */
export type HitWindow = '1h' | '24h' | '7d'

/** The windows in toolbar order. */
export const HIT_WINDOWS: readonly HitWindow[] = ['1h', '24h', '7d']
