# The workshop service (`leakproof workshop`) for a company deploy. Build from the course folder:
#   docker build -f workshop.Dockerfile -t leakproof-workshop .
# Run with PostgreSQL (or mount a volume at /data for the default SQLite file):
#   docker run -p 127.0.0.1:4800:4800 leakproof-workshop --db postgres://… --course https://course.example.com --public-url https://workshop.example.com --trust-proxy
# Guide: docs/workshop.md. The facilitator link is printed to the container's log: keep the log as
# private as the link.
# Node 22.18 or newer: it runs the TypeScript sources directly, and has node:sqlite.
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NO_UPDATE_NOTIFIER=1
COPY package.json package-lock.json ./
# No install scripts: the service needs none (esbuild's binary comes as an optional dependency).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
# The course's chapters: completion records name each chapter's checks by the hash of these files.
COPY lessons ./lessons
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 4800
# Inside a container the service must listen on every interface; publish the port to the host's
# loopback (or a private network) and put a TLS reverse proxy in front of it.
ENTRYPOINT ["node", "bin/leakproof.mjs", "workshop", "--host", "0.0.0.0", "--port", "4800"]
CMD ["--db", "/data/workshop.sqlite"]
