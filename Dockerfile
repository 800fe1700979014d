# Every app's image, the app named by the SERVICE build argument: one bundled file on a slim Node
# runtime. Built from the repository root, by `docker compose build <service>` (docker-compose.yml
# passes the argument) or `docker build --build-arg SERVICE=fetcher .`.
FROM node:20.20.2-bookworm-slim AS build
ARG SERVICE
WORKDIR /src
COPY . .
# The app's dependencies and the root's tools (esbuild); nothing needs an install script to bundle.
RUN npm ci --workspace "@hotrepos/${SERVICE:?build with --build-arg SERVICE=<a folder of apps/>}" --include-workspace-root --ignore-scripts --no-audit --no-fund
# The esbuild step runs in the app's folder so that it can stay in exec form, which expands no
# build argument; WORKDIR does.
WORKDIR /src/apps/${SERVICE}
# Workspace libraries are bundled from their TypeScript sources (the @hotrepos/source condition);
# the banner gives the CommonJS dependencies (pino, nodemailer, fastify...) the `require` an ES module lacks.
# test/compose runs this exact command, so what it checks is what the image runs.
RUN ["../../node_modules/.bin/esbuild", "src/main.ts", "--bundle", "--platform=node", "--format=esm", "--target=node20", "--conditions=@hotrepos/source", "--outfile=/out/main.mjs", "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"]
# An app's web page goes beside its bundle, where the app looks for it (the gateway's public-dir.ts).
# Only the gateway has one, so every other image holds its bundle and nothing else.
RUN if [ -d public ]; then cp -R public /out/public; fi

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production
# Docker gives a new named volume the owner of the directory it is mounted on, so these must be node's.
RUN mkdir -p /data/logs /data/media && chown node:node /data/logs /data/media
WORKDIR /app
COPY --from=build /out/ ./
USER node
CMD ["node", "main.mjs"]
