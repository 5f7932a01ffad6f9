# policy-sidecar container (docs/rollout.md, docs/github-action.md).
#
#   docker build --target runtime -t policy-sidecar .   # the image GitLab CI runs (non-root)
#   docker build -t policy-sidecar-action .              # the GitHub Action (last stage, see below)
#
# Base: node:24-alpine. Node 24 is the current LTS (the package supports 20.19+). Alpine because
# every dependency is plain JavaScript (no native addons, so musl does not matter) and the image
# is about half the size of -slim with git included; a smaller image is pulled faster by every
# pipeline of every project. git is there for rules:changes (git diff in the checkout).
# The application files are exactly what `npm pack` ships (package.json "files"), installed with
# the lockfile's production dependencies: test/package/package-layout.test.ts checks the same
# layout without Docker.

ARG NODE_IMAGE=node:24-alpine

# 1. Build with the dev dependencies (esbuild bundles src/ into dist/, docs/performance.md), then
# pack what the package ships.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json README.md ./
COPY src ./src
COPY schema ./schema
COPY templates ./templates
RUN npm run build \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mkdir -p /opt/policy-sidecar \
 && tar -xzf /tmp/policy-sidecar-*.tgz -C /opt/policy-sidecar --strip-components=1

# 2. Production dependencies only, from the lockfile.
FROM ${NODE_IMAGE} AS prune
WORKDIR /opt/policy-sidecar
COPY --from=build /opt/policy-sidecar ./
COPY package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm package-lock.json \
 && npm cache clean --force \
 && chmod 0755 dist/cli/main.js dist/github/action.js

# 3. The runtime GitLab CI runs: the CLI as the entrypoint, non-root.
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="policy-sidecar" \
      org.opencontainers.image.description="Security-policy enforcement (pipeline execution, scan execution and approval policies) for any GitLab CI pipeline, on any tier." \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://gitlab.com/policy-sidecar/policy-sidecar" \
      org.opencontainers.image.documentation="https://gitlab.com/policy-sidecar/policy-sidecar/-/blob/main/docs/rollout.md" \
      org.opencontainers.image.base.name="docker.io/library/node:24-alpine"
# tini: a real PID 1, so Ctrl-C and `docker stop` reach node. The checkout belongs to another user
# (the runner's helper), and git refuses such repositories unless they are marked safe.
RUN apk add --no-cache git tini \
 && git config --system --add safe.directory '*'
COPY --from=prune /opt/policy-sidecar /opt/policy-sidecar
# The components start the CLI by this absolute path (input `cli`) through
# `/bin/cat /proc/self/environ | /usr/bin/env -i HOME=/tmp PATH=/usr/local/bin:/usr/bin:/bin`:
# /bin/cat and /usr/bin/env are busybox's, and the shebang's `env node` finds /usr/local/bin/node
# first on that fixed PATH. No bash in the image: the runner's shell is busybox sh, which does not
# read BASH_ENV, nor ENV when not interactive (docs/templates.md "How the jobs start the CLI").
RUN ln -s /opt/policy-sidecar/dist/cli/main.js /usr/local/bin/policy-sidecar \
 && test -x /bin/cat && test -x /usr/bin/env && test -x /usr/local/bin/node
ENV NODE_ENV=production
# The numeric id of the image's `node` user, so Kubernetes runAsNonRoot can verify it.
USER 1000:1000
WORKDIR /home/node
ENTRYPOINT ["/sbin/tini", "--", "policy-sidecar"]
CMD ["--help"]

# 4. The GitHub Action (action.yml builds this Dockerfile's last stage). GitHub requires container
# actions to run as root: the workspace and the GITHUB_OUTPUT/GITHUB_STEP_SUMMARY files belong to
# the runner's user and are not writable by uid 1000 (docs "Dockerfile support for GitHub
# Actions", USER). GitLab never runs this stage.
FROM runtime AS github-action
USER root
ENTRYPOINT ["/sbin/tini", "--", "node", "/opt/policy-sidecar/dist/github/action.js"]
CMD []
