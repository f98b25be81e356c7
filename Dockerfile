# syntax=docker/dockerfile:1
# Multi-stage image for apps/web, apps/bot and apps/discord-proxy (the same image; the command picks the process).
FROM node:20-bookworm-slim AS deps
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH TURBO_TELEMETRY_DISABLED=1
RUN npm install -g pnpm@10.34.9
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
COPY apps/web/package.json apps/web/
COPY apps/bot/package.json apps/bot/
COPY apps/discord-proxy/package.json apps/discord-proxy/
COPY apps/sandbox/package.json apps/sandbox/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
COPY packages/kick/package.json packages/kick/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/queue/package.json packages/queue/
COPY packages/config/package.json packages/config/
COPY packages/connections/package.json packages/connections/
COPY packages/kick-sim/package.json packages/kick-sim/
COPY packages/discord-sim/package.json packages/discord-sim/
COPY packages/testkit/package.json packages/testkit/
COPY scripts/prisma-generate.mjs scripts/
RUN pnpm install --frozen-lockfile --ignore-scripts

FROM deps AS build
COPY . .
RUN node scripts/prisma-generate.mjs && pnpm typecheck

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PNPM_HOME=/pnpm PATH=/pnpm:$PATH
RUN npm install -g pnpm@10.34.9 && useradd --create-home kickcord
WORKDIR /app
COPY --from=build --chown=kickcord:kickcord /app /app
USER kickcord
EXPOSE 3000
CMD ["pnpm", "start:web"]
