# Builds the Tollgate image from this repository: docker build -t tollgate .
FROM eclipse-temurin:21-jdk AS build
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

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 tollgate && mkdir -p /data && chown tollgate /data
USER tollgate
WORKDIR /app
COPY --from=build /src/gateway-api/target/tollgate.jar /app/tollgate.jar
ENV TOLLGATE_DATA_DIR=/data
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/tollgate.jar"]
