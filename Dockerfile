# syntax=docker/dockerfile:1
# modreg container image: `modreg serve` on a distroless, non-root runtime.
#
# Built and scanned by .github/workflows/release.yml on a `modreg-v*` tag, then pushed to ECR;
# infra/registry/ runs it on ECS Fargate behind an internal ALB. Locally (with a Docker daemon):
#   docker build -t modreg .
#   docker run --rm --read-only -p 8080:8080 -v modreg-data:/data modreg
#
# Both bases are pinned by digest; Dependabot (.github/dependabot.yml, ecosystem "docker") proposes
# the new digest when the tag moves. Bump the Rust minor here and in the CI toolchain together.

# --- build: dependencies first, so a source-only change reuses the dependency layer -----------
FROM rust:1.95-slim-bookworm@sha256:d7482085ff5b415f84dba5647ae71606650bdef00db7aeb69f4b3d170c3e4082 AS build
WORKDIR /src
ENV CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0

# Manifests and stub targets only: this layer (every crate of Cargo.lock, compiled) changes only
# when a manifest or the lock file does.
COPY Cargo.toml Cargo.lock ./
COPY registry/Cargo.toml registry/Cargo.toml
COPY cli/Cargo.toml cli/Cargo.toml
COPY tests/e2e/Cargo.toml tests/e2e/Cargo.toml
RUN mkdir -p registry/src cli/src tests/e2e/src \
    && touch registry/src/lib.rs tests/e2e/src/lib.rs \
    && echo 'fn main() {}' > cli/src/main.rs \
    && cargo build --release --locked -p modreg \
    && rm -rf registry/src cli/src tests/e2e/src

# The real sources; touching them makes cargo rebuild the workspace crates, not the dependencies.
COPY registry registry
COPY cli cli
COPY tests/e2e tests/e2e
RUN touch registry/src/lib.rs cli/src/main.rs \
    && cargo build --release --locked -p modreg \
    && install -D -m 0755 target/release/modreg /out/usr/local/bin/modreg \
    && install -d -m 0750 /out/data

# --- runtime: glibc + CA certificates + nothing else; uid/gid 65532 (nonroot) -----------------
FROM gcr.io/distroless/cc-debian12:nonroot@sha256:9dac0a79194e45a7da0158a9c6da57b217585af0786db3845d1f0ec1a0dd182f AS runtime
COPY --from=build /out/usr/local/bin/modreg /usr/local/bin/modreg
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
# The root filesystem can be read-only: everything modreg writes (SQLite index, local blobs,
# bare git mirrors) lives in the data directory, a volume.
VOLUME ["/data"]
ENV MODREG_DATA_DIR=/data \
    MODREG_LISTEN=0.0.0.0:8080 \
    MODREG_PLAIN_HTTP=true \
    MODREG_LOG_FORMAT=json
EXPOSE 8080
# No HEALTHCHECK: the load balancer probes /readyz (and the orchestrator restarts on /healthz),
# and distroless has no shell or curl to run one with.
ENTRYPOINT ["/usr/local/bin/modreg"]
CMD ["serve"]
