# One image for the gateway, the worker, esc-sim and the migration step; docker-compose.yml picks
# the command. Build stage: everything, compiled. Final stage: production dependencies only,
# a non-root user, and a health check on the gateway's /health.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
# runs scripts/prisma-generate.js (postinstall): the Prisma client is generated into libs/ and bundled by the build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# no install scripts (the only one is our own Prisma generation, whose output is in dist/ already);
# --omit=optional leaves out the Prisma CLI (an optional peer of @prisma/client that the lock also
# has as a dev dependency) and BullMQ's optional native msgpack build: 174 MB instead of 422 MB
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY prisma/migrations ./prisma/migrations
USER node
EXPOSE 3000 8080
# the gateway's readiness (PostgreSQL and the queue store); compose turns it off for the other processes
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-old-space-size=256", "dist/apps/gateway/main.js"]
