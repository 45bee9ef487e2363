export type {
  CheckChangeKind,
  CheckFailOn,
  CheckInput,
  CheckReport,
  CheckRow,
} from './check.ts'
export { CHECK_FAIL_ON, checkChange, describeDirection } from './check.ts'
