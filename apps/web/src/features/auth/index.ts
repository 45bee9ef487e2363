export { AuditPage } from './AuditPage.tsx'
export { LoginPage } from './LoginPage.tsx'
export type { Can } from './me.ts'
export { canFrom, meQuery, useCan, writeRefusalText } from './me.ts'
