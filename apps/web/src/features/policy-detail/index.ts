export { policyEditHref, policyHref } from './links.ts'
export { PolicyDetailPage } from './PolicyDetailPage.tsx'
