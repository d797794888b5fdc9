# syntax=docker/dockerfile:1
# teleconsultation-gateway: build with the full toolchain, run with production dependencies only.
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# No port here: a deployment sets HTTP_PORT (Mia-Platform's name) or PORT, and an image value
# for one would conflict with the other (both set to different ports stop the start). 3000 by default.
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
# The official image ships an unprivileged `node` user; nothing in /app is writable by it.
USER node
EXPOSE 3000
# Liveness only; readiness (/-/ready) belongs to the orchestrator's probe.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||process.env.PORT||3000)+'/-/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The node flags are `npm start`'s (package.json; a test keeps the two equal): V8's young
# generation stays at 2 x 16 MB instead of shrinking when the process idles and paying 2-4x the
# young collections per request until it grows back (docs/operations.md, "Memory").
CMD ["node", "--min-semi-space-size=16", "dist/main.js"]
