export { ReachPage } from './ReachPage.tsx'
