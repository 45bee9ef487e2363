/** The e2e server's known admin credentials (given to it as POLICYBOARD_ADMIN_TOKEN/PASSWORD). */
export const E2E_ADMIN_TOKEN = process.env.E2E_ADMIN_TOKEN ?? 'pb_e2e_admin_token_0123456789abcdef'
/** Password of the bootstrap user `admin` on the e2e server. */
export const E2E_ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? 'e2e-admin-password-1234'
