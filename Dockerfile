# syntax=docker/dockerfile:1
# Genome Node as a container: built with the .NET SDK, run on the ASP.NET Core runtime as a non-root user whose only
# writable places are the data volume and /tmp. Usage and the flags that make the root filesystem read-only are in
# docs/operations.md ("Run in a container"). tests/Node.Host.Tests/PackagingTests.cs checks this file in CI.

ARG DOTNET_VERSION=10.0
ARG NODE_VERSION=22

# The web pages' scripts from npm, exactly as Node.Host/Web/package-lock.json pins them (the build embeds them).
FROM node:${NODE_VERSION}-bookworm-slim AS web
WORKDIR /web
COPY Node.Host/Web/package.json Node.Host/Web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
WORKDIR /src
# Everything the node's projects compile or embed; .dockerignore leaves out tests, benchmarks, docs and build output.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Shared/ Shared/
COPY specs/ specs/
COPY Storage/ Storage/
COPY DataUseOntology/ DataUseOntology/
COPY Passport/ Passport/
COPY Committee/ Committee/
COPY Htsget/ Htsget/
COPY Beacon/ Beacon/
COPY Broker/ Broker/
COPY Federation/ Federation/
COPY Node.Host/ Node.Host/
COPY --from=web /web/node_modules Node.Host/Web/node_modules
# Framework-dependent, precompiled for the target (ReadyToRun), with only that platform's DuckDB library.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish Node.Host/Node.Host.csproj -c Release -a "$TARGETARCH" --self-contained false -p:InstallWebScripts=false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The data directory (node.duckdb and its WAL, keys, the admin channel's file, the demo's files) is the one volume.
RUN mkdir -p /data && chown 1654:1654 /data && chmod 0700 /data
VOLUME ["/data"]
ENV GENOMENODE_DATA=/data \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    Node__LogFormat=json
# The image's unprivileged "app" user (uid 1654); nothing under /app belongs to it.
USER 1654:1654
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["dotnet", "/app/genome-node.dll", "health", "--url", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["dotnet", "/app/genome-node.dll"]
CMD ["serve"]
