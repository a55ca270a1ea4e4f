# schakel production image. Build: docker build -t schakel .
# The opa CLI comes from the official OPA image (policy build/test features need it).
FROM openpolicyagent/opa:1.22.2-static AS opa

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; the image's own Node 22 runs the broker.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
# The CycloneDX SBOM of exactly what the image ships (npm run sbom does the same from a checkout).
RUN npm sbom --sbom-format cyclonedx --sbom-type application --omit dev --package-lock-only > sbom.cdx.json

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    SCHAKEL_HOST=0.0.0.0 \
    SCHAKEL_OPS_HOST=0.0.0.0 \
    SCHAKEL_DATA_DIR=/app/var
WORKDIR /app
COPY --from=opa /opa /usr/local/bin/opa
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=deps /app/sbom.cdx.json ./sbom.cdx.json
COPY bin ./bin
COPY broker ./broker
COPY keys ./keys
COPY adapters ./adapters
COPY policies ./policies
RUN useradd --system --uid 10001 --home /app schakel && mkdir -p /app/var && chown schakel /app/var
USER schakel
EXPOSE 8443 9464
HEALTHCHECK --interval=10s --timeout=2s CMD node -e "fetch('http://127.0.0.1:9464/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/schakel.js"]
CMD ["serve"]
