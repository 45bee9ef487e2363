export {
  recommendationQueries,
  useDecideRecommendation,
  useDefaultDenyStep,
  useGenerateRecommendation,
} from './queries.ts'
export { RecommendationsPage } from './RecommendationsPage.tsx'
