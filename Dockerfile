# kubeward as a small, non-root image for read-only root filesystems (see deploy/).
# Build: docker build -t kubeward/kubeward:0.1.0 .
# Run:   docker run --rm --read-only --tmpfs /tmp -v "$PWD:/work:ro" kubeward/kubeward:0.1.0 scan .
# The bundled linux x86_64 helm/kubectl are unpacked on first use into KUBEWARD_CACHE_DIR, so /tmp
# must be writable (a tmpfs or an emptyDir); on other architectures charts need a helm on PATH.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md ./
COPY src ./src
COPY docs ./docs
# The same tarball users install from the npm registry, installed the same way.
RUN npm pack --pack-destination /tmp \
  && npm install --global --prefix /opt/kubeward --no-audit --no-fund /tmp/kubeward-*.tgz

FROM gcr.io/distroless/nodejs20-debian12:nonroot
COPY --from=build /opt/kubeward/lib/node_modules/kubeward /opt/kubeward
ENV KUBEWARD_CACHE_DIR=/tmp/kubeward-cache \
    NODE_ENV=production
WORKDIR /work
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/opt/kubeward/dist/cli/main.js"]
CMD ["--help"]
