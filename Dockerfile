# syntax=docker/dockerfile:1
# The idplane container image: a static binary on a distroless base, non-root, no shell.
#
#   scripts/container.sh                      # docker build -t idplane:<commit> .
#   docker run --rm -v "$PWD:/work" -w /work --user "$(id -u):$(id -g)" \
#     -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_SESSION_TOKEN -e AWS_REGION \
#     idplane:<commit> plan stacks/production
#
# Build stage: Alpine's Rust image targets x86_64/aarch64-unknown-linux-musl natively and links
# statically. aws-lc-sys (the TLS crypto of the AWS SDK, through rustls) needs only a C/C++
# compiler on the musl targets (build-base); cmake and perl are the fallback its build script
# uses where it has no pre-generated bindings.
FROM rust:1-alpine AS build
RUN apk add --no-cache build-base cmake perl
WORKDIR /src
COPY . .
# `idplane --version` shows this commit (there is no .git in the build context).
ARG IDPLANE_BUILD_COMMIT=unknown
ENV IDPLANE_BUILD_COMMIT=${IDPLANE_BUILD_COMMIT}
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p idplane-cli \
    && mkdir -p /out \
    && cp target/release/idplane /out/idplane \
    && strip /out/idplane \
    && /out/idplane --version

# Final stage: distroless static (CA certificates, /etc/passwd with `nonroot`, tzdata; no
# shell, no package manager). 65532 is distroless's `nonroot` user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/idplane /idplane
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532:65532
ENTRYPOINT ["/idplane"]
CMD ["--help"]
