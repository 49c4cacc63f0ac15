# The Hades worker: runs plan workflows and the host activities they schedule.
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
# Scripts wait for the sources: `prepare` would build before they are copied.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20.19-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# Logs are written by the unprivileged user; its ~/.ssh holds keys and known_hosts.
RUN mkdir -p /app/logs /home/node/.ssh && chown node:node /app/logs /home/node/.ssh
USER node
CMD ["node", "bin/hades", "worker"]
