# syntax=docker/dockerfile:1
# Build stage: the whole reactor, tests skipped (CI runs them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY core/pom.xml core/
COPY adapters-telegram/pom.xml adapters-telegram/
COPY adapters-kie/pom.xml adapters-kie/
COPY adapters-postgres/pom.xml adapters-postgres/
COPY app-runtime/pom.xml app-runtime/
COPY app-webhook/pom.xml app-webhook/
COPY app-polling/pom.xml app-polling/
COPY architecture/pom.xml architecture/
RUN mvn -B -q dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN mvn -B -q -DskipTests package

# Runtime stage: a slim JRE, a non-root user, both runner jars; BOT_MODE picks one.
FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --uid 10001 kiebot
WORKDIR /app
COPY --from=build /src/app-webhook/target/app-webhook.jar /src/app-polling/target/app-polling.jar /app/
RUN mkdir -p /app/data && chown -R kiebot /app
USER kiebot
ENV BOT_MODE=webhook \
    DATA_DIR=/app/data \
    PORT=10000 \
    JAVA_OPTS="-XX:+UseContainerSupport -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Xss512k"
EXPOSE 10000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD wget -qO- "http://127.0.0.1:${PORT}/healthz" || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/app-${BOT_MODE}.jar"]
