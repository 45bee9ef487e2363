export { DefaultDenyPage } from './DefaultDenyPage.tsx'
