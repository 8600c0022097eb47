# syntax=docker/dockerfile:1
# incident-bot: build with dev dependencies, run with production ones only, as a non-root user.
#   docker build -t incident-bot .
#   docker run --env-file .env -p 3000:3000 incident-bot

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no build tools here; the runtime dependencies need no install scripts.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
# tini as PID 1: forwards SIGTERM to node (which then drains a running rollback for up to 25 s)
# and reaps the rollback scripts' orphans. `docker run --init` does the same; this works without it.
# fonts-dejavu-core: the text of the signal chart (resvg draws with the system's fonts).
RUN apt-get update && apt-get install -y --no-install-recommends tini fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.yml ./
COPY bin ./bin
COPY config ./config
COPY examples ./examples
# The image's own node user (uid 1000); config and scripts are read-only to it.
USER node
EXPOSE 3000
# Liveness only: /readyz (Redis) is for the load balancer; a Redis outage must not restart the bot.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
