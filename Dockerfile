# syntax=docker/dockerfile:1
# Policyboard server image: builds the web app and runs the Fastify server as a non-root user.

FROM node:20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm i -g --allow-scripts=pnpm pnpm@12.4.2
WORKDIR /app

# Dependencies, including better-sqlite3's native build.
FROM base AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .pnpmfile.cjs .npmrc ./
COPY packages/policy-core/package.json packages/policy-core/
COPY packages/api/package.json packages/api/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY apps/cli/package.json apps/cli/
COPY e2e/package.json e2e/
RUN pnpm install --frozen-lockfile

# The web app's static build.
FROM deps AS build
COPY . .
RUN pnpm --filter @policyboard/web build

# Runtime: sources run through tsx, the built web app served by Fastify.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA_DIR=/data WEB_DIST=/app/apps/web/dist
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "node_modules/tsx/dist/cli.mjs", "apps/server/src/server.ts"]
