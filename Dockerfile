# syntax=docker/dockerfile:1
# Build stage: the whole reactor, tests skipped (CI runs them), then the Java runtime the image ships.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Every module of the root pom's <modules> (DockerfileTest checks it): Maven refuses a reactor with a module's pom
# missing, and the step below, which fetches the dependencies into a layer of their own, then fetched nothing
COPY pom.xml .
COPY core/pom.xml core/
COPY core-testing/pom.xml core-testing/
COPY adapters-telegram/pom.xml adapters-telegram/
COPY adapters-kie/pom.xml adapters-kie/
COPY adapters-postgres/pom.xml adapters-postgres/
COPY app-runtime/pom.xml app-runtime/
COPY app-webhook/pom.xml app-webhook/
COPY app-polling/pom.xml app-polling/
COPY examples/console-shop/pom.xml examples/console-shop/
COPY architecture/pom.xml architecture/
RUN mvn -B -q dependency:go-offline -DexcludeReactor=true || true
COPY . .
# The commit the image is of (.git stays out of the build context): /readyz, kiebot_build_info and the "ready" line
# name it; docker build --build-arg KIEBOT_COMMIT=$(git rev-parse --short=9 HEAD) .   Left out: "unknown".
ARG KIEBOT_COMMIT=unknown
RUN mvn -B -q -DskipTests -Dgit.commit.id.abbrev="${KIEBOT_COMMIT}" package
# A jlink-made runtime with only the modules the jars need (found with jdeps) and its own class-data archive;
# docker/jlink-runtime.sh builds the same runtime outside Docker and prints its size.
RUN docker/jlink-runtime.sh /opt/kiebot-jre app-webhook/target/app-webhook.jar app-polling/target/app-polling.jar

# Runtime stage: that runtime on a slim Debian (glibc and libstdc++, which the embedded PostgreSQL needs),
# a non-root user, both runner jars; BOT_MODE picks one.
FROM debian:12-slim
# fonts for the admins' chart (/admin, /chart): AWT without them throws, and the chart comes as text only; tini, the
# container's PID 1 (the ENTRYPOINT)
RUN apt-get update && apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/kiebot-jre /opt/kiebot-jre
ENV PATH=/opt/kiebot-jre/bin:$PATH
RUN useradd --system --create-home --uid 10001 kiebot
WORKDIR /app
COPY --from=build /src/app-webhook/target/app-webhook.jar /src/app-polling/target/app-polling.jar /app/
COPY small-box.jvm /app/
# The embedded PostgreSQL unpacked now rather than at the first start, with a migrated data directory that a
# container's first start copies instead of running initdb and migrations; then class-data archives: one warm-up
# run per jar (the start path, and three sample updates handled on a throwaway copy of that directory; no network),
# so every start maps these classes instead of loading them one by one. As the bot's user: PostgreSQL does not run
# as root, and its cache is that user's. DATA_DIR rwx------, as the bot makes one itself (a named volume takes it).
RUN mkdir -p /app/data && chown -R kiebot /app && chmod 700 /app/data
USER kiebot
RUN java -cp /app/app-polling.jar dev.kiebot.postgres.EmbeddedDatabase unpack \
 && for mode in webhook polling; do \
      java -XX:ArchiveClassesAtExit=/app/app-$mode.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
           -jar /app/app-$mode.jar warm-up; \
    done
# /app itself root's again (its files and /app/data stay the bot's user's): a DATA_DIR's parents must be its user's or
# root's, and with /app uid 10001's, the image run as another uid (docker run -u, Kubernetes' runAsUser, OpenShift's
# random uid) with a volume at /app/data was refused at start as a DATA_DIR another user could move away
USER root
RUN chown root:root /app
USER kiebot
# Sized for a 512 MB box (README "Memory on a small box"): the JVM flags of small-box.jvm (./kiebot uses the same
# file) and two malloc arenas. JAVA_OPTS set at run time comes after the file, so its flags win.
# LANG: debian:12-slim sets none, and Java 17 then takes ASCII for its default charset (file names, anything
# written without naming one); the log and the operator commands write UTF-8 themselves
ENV BOT_MODE=webhook \
    LANG=C.UTF-8 \
    DATA_DIR=/app/data \
    PORT=10000 \
    MALLOC_ARENA_MAX=2 \
    JAVA_OPTS=""
EXPOSE 10000
# no curl or wget in a slim image: bash's /dev/tcp asks /healthz
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/$PORT && printf "GET /healthz HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
# A JVM crash's report (hs_err_pid<pid>.log, which may quote memory near the crash: a token, a password) goes to
# DATA_DIR, rwx------ and the bot's user's, where the operator looks and no other user reads it: left to the JVM it
# went to the working directory, /app, which is root's, so to /tmp, readable by everyone (the JVM makes it with the
# umask, 022). JAVA_OPTS comes after, so its -XX:ErrorFile wins
# arguments run an operator command instead of the bot, e.g. docker run … kiebot import-balances /data/b.csv.
# BOT_MODE names the jar: checked first, as ./kiebot does (BOT_MODE=Polling was "Unable to access jarfile").
# tini is PID 1, java its child: the embedded PostgreSQL's backends, orphaned when its postmaster is killed, are
# reparented to PID 1, and java there never reaped them (zombies until the container stopped); tini reaps them and
# hands SIGTERM to java alone, which stops PostgreSQL last. -s: also under docker run --init (then tini is not PID 1)
ENTRYPOINT ["tini", "-s", "--", "sh", "-c", "case \"$BOT_MODE\" in polling|webhook) ;; *) echo \"BOT_MODE must be polling or webhook, got '$BOT_MODE'\" >&2; exit 2;; esac; exec java @/app/small-box.jvm \"-XX:ErrorFile=$DATA_DIR/hs_err_pid%p.log\" $JAVA_OPTS -XX:SharedArchiveFile=/app/app-${BOT_MODE}.jsa -Xlog:cds=off -jar /app/app-${BOT_MODE}.jar \"$@\"", "kiebot"]
