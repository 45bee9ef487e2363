export { ServiceGraphPage } from './ServiceGraphPage.tsx'
