# Builds the Tollgate image from this repository: docker build -t tollgate .
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY routing-core/pom.xml routing-core/
COPY billing/pom.xml billing/
COPY admin-web/pom.xml admin-web/
COPY gateway-api/pom.xml gateway-api/
RUN ./mvnw -q -B dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN ./mvnw -q -B -DskipTests -Dspring-javaformat.skip=true package

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 tollgate && mkdir -p /data && chown tollgate /data
WORKDIR /app
# Fits a 512 MB container under load: bounded heap, direct buffers (Netty), metaspace, code
# cache and thread stacks. Override JDK_JAVA_OPTIONS to size it otherwise.
ENV JDK_JAVA_OPTIONS="-Xms128m -Xmx256m -Xmn24m -XX:MetaspaceSize=96m -XX:MaxDirectMemorySize=96m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+UseSerialGC -XX:+UseContainerSupport -XX:+ExitOnOutOfMemoryError"
# The jar extracted (application jar + lib/), and an ahead-of-time cache (JDK 25, JEP 483/514/515)
# written by one training run that stops as soon as the context is up: a start maps the classes
# already loaded and linked, with the training run's method profiles, instead of loading and
# verifying them (about half the time to the first answer). It holds only for the same JDK, jar
# and JVM options, hence JDK_JAVA_OPTIONS above, set for the training run and the start alike.
COPY --from=build /src/gateway-api/target/tollgate.jar /tmp/tollgate.jar
RUN java -Djarmode=tools -jar /tmp/tollgate.jar extract --destination /app \
 && mkdir /tmp/train && cd /tmp/train \
 && TOLLGATE_DATA_DIR=/tmp/train java -XX:AOTCacheOutput=/app/tollgate.aot -Dspring.context.exit=onRefresh -jar /app/tollgate.jar \
 && rm -rf /tmp/train /tmp/tollgate.jar
USER tollgate
ENV TOLLGATE_DATA_DIR=/data
EXPOSE 8080
# exec form: java is PID 1 and gets SIGTERM, which starts the graceful shutdown
ENTRYPOINT ["java", "-XX:AOTCache=/app/tollgate.aot", "-jar", "/app/tollgate.jar"]
