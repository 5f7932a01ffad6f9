# policy-sidecar container: the CLI as the entrypoint, production dependencies only, non-root.
# The package supports Node 20.19+; the image uses the current LTS.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/policy-sidecar
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY templates ./templates
USER node
ENTRYPOINT ["node", "/opt/policy-sidecar/dist/cli/main.js"]
CMD ["--help"]
