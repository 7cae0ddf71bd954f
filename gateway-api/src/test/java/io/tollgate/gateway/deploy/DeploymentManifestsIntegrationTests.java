package io.tollgate.gateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.tollgate.billing.testsupport.ExternalServices;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders each Kustomize directory under {@code deploy/k8s} with
 * {@code kubectl kustomize} and checks that the output parses as the Kubernetes objects
 * it names: known kinds at their API versions, with the fields those kinds require, and
 * references (selectors, scale targets, secrets, config maps, ports) that point at
 * objects in the same output. Needs {@code kubectl}: skipped without it, failed in CI.
 */
class DeploymentManifestsIntegrationTests {

	private static final Path K8S = Path.of("..", "deploy", "k8s");

	private static final Map<String, String> API_VERSIONS = Map.of("Deployment", "apps/v1", "Service", "v1",
			"HorizontalPodAutoscaler", "autoscaling/v2", "PodDisruptionBudget", "policy/v1", "Secret", "v1",
			"ConfigMap", "v1", "ServiceMonitor", "monitoring.coreos.com/v1");

	@ParameterizedTest
	@ValueSource(strings = { "base", "overlays/gateway", "overlays/admin", "overlays/cluster" })
	void rendersAsTheKubernetesObjectsItNames(String directory) throws Exception {
		List<JsonNode> objects = render(directory);
		assertThat(objects).isNotEmpty();
		Map<String, List<JsonNode>> byKind = new HashMap<>();
		for (JsonNode object : objects) {
			String kind = object.path("kind").asString();
			assertThat(API_VERSIONS).as("known kind").containsKey(kind);
			assertThat(object.path("apiVersion").asString()).as(kind).isEqualTo(API_VERSIONS.get(kind));
			assertThat(object.path("metadata").path("name").asString()).as(kind + " name").matches("[a-z0-9-]+");
			byKind.computeIfAbsent(kind, (k) -> new ArrayList<>()).add(object);
		}
		List<JsonNode> deployments = byKind.get("Deployment");
		assertThat(deployments).isNotEmpty();
		for (JsonNode deployment : deployments) {
			checkDeployment(deployment);
		}
		for (JsonNode service : byKind.getOrDefault("Service", List.of())) {
			assertThat(selectsAny(service.path("spec").path("selector"), deployments)).as("service selects pods")
				.isTrue();
			assertThat(service.path("spec").path("ports")).isNotEmpty();
		}
		for (JsonNode pdb : byKind.getOrDefault("PodDisruptionBudget", List.of())) {
			assertThat(selectsAny(pdb.path("spec").path("selector").path("matchLabels"), deployments)).isTrue();
		}
		Set<String> deploymentNames = names(deployments);
		for (JsonNode hpa : byKind.getOrDefault("HorizontalPodAutoscaler", List.of())) {
			JsonNode target = hpa.path("spec").path("scaleTargetRef");
			assertThat(target.path("kind").asString()).isEqualTo("Deployment");
			assertThat(deploymentNames).contains(target.path("name").asString());
			assertThat(hpa.path("spec").path("minReplicas").asInt()).isBetween(1,
					hpa.path("spec").path("maxReplicas").asInt());
		}
		for (JsonNode monitor : byKind.getOrDefault("ServiceMonitor", List.of())) {
			JsonNode endpoint = monitor.path("spec").path("endpoints").path(0);
			assertThat(endpoint.path("path").asString()).isEqualTo("/actuator/prometheus");
			JsonNode selector = monitor.path("spec").path("selector").path("matchLabels");
			assertThat(byKind.getOrDefault("Service", List.of())
				.stream()
				.filter((service) -> contains(service.path("metadata").path("labels"), selector))
				.anyMatch((service) -> hasPort(service, endpoint.path("port").asString())))
				.as("service monitor finds a service port")
				.isTrue();
		}
		if (directory.equals("base") || directory.equals("overlays/cluster")) {
			Set<String> secrets = names(byKind.getOrDefault("Secret", List.of()));
			Set<String> configMaps = names(byKind.getOrDefault("ConfigMap", List.of()));
			for (JsonNode deployment : deployments) {
				JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").path(0);
				container.path("env").forEach((env) -> {
					JsonNode ref = env.path("valueFrom").path("secretKeyRef");
					if (!ref.isMissingNode()) {
						assertThat(secrets).contains(ref.path("name").asString());
					}
				});
				container.path("envFrom")
					.forEach((from) -> assertThat(configMaps)
						.contains(from.path("configMapRef").path("name").asString()));
			}
		}
		if (directory.equals("overlays/gateway")) {
			assertThat(env(deployments.get(0), "TOLLGATE_ADMIN_ENABLED")).isEqualTo("false");
		}
		if (directory.equals("overlays/admin")) {
			assertThat(env(deployments.get(0), "TOLLGATE_ADMIN_ENABLED")).isEqualTo("true");
		}
	}

	private static void checkDeployment(JsonNode deployment) {
		JsonNode spec = deployment.path("spec");
		JsonNode podLabels = spec.path("template").path("metadata").path("labels");
		assertThat(contains(podLabels, spec.path("selector").path("matchLabels"))).as("selector matches pods").isTrue();
		JsonNode container = spec.path("template").path("spec").path("containers").path(0);
		assertThat(container.path("image").asString()).isNotBlank();
		assertThat(container.path("readinessProbe").path("httpGet").path("path").asString())
			.isEqualTo("/actuator/health/readiness");
		assertThat(container.path("livenessProbe").path("httpGet").path("path").asString())
			.isEqualTo("/actuator/health/liveness");
		assertThat(container.path("resources").path("limits").path("memory").asString()).isEqualTo("512Mi");
		assertThat(env(deployment, "JDK_JAVA_OPTIONS")).contains("-Xmx256m")
			.contains("-XX:MaxDirectMemorySize=96m")
			.contains("-Xss512k")
			.contains("-Xmn24m");
		assertThat(spec.path("template").path("spec").path("terminationGracePeriodSeconds").asInt()).isGreaterThan(30);
	}

	private static String env(JsonNode deployment, String name) {
		for (JsonNode env : deployment.path("spec")
			.path("template")
			.path("spec")
			.path("containers")
			.path(0)
			.path("env")) {
			if (env.path("name").asString().equals(name)) {
				return env.path("value").asString();
			}
		}
		return null;
	}

	private static boolean selectsAny(JsonNode selector, List<JsonNode> deployments) {
		return !selector.isEmpty() && deployments.stream()
			.anyMatch((d) -> contains(d.path("spec").path("template").path("metadata").path("labels"), selector));
	}

	private static boolean contains(JsonNode labels, JsonNode wanted) {
		Set<Map.Entry<String, JsonNode>> entries = new HashSet<>(wanted.properties());
		return entries.stream().allMatch((entry) -> labels.path(entry.getKey()).equals(entry.getValue()));
	}

	private static boolean hasPort(JsonNode service, String name) {
		for (JsonNode port : service.path("spec").path("ports")) {
			if (port.path("name").asString().equals(name)) {
				return true;
			}
		}
		return false;
	}

	private static Set<String> names(List<JsonNode> objects) {
		Set<String> names = new HashSet<>();
		objects.forEach((object) -> names.add(object.path("metadata").path("name").asString()));
		return names;
	}

	private static List<JsonNode> render(String directory) throws IOException, InterruptedException {
		Path dir = K8S.resolve(directory);
		assertThat(dir.resolve("kustomization.yaml")).exists();
		Path errors = Files.createTempFile("kustomize", ".err");
		Process process;
		try {
			process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectError(errors.toFile()).start();
		}
		catch (IOException ex) {
			ExternalServices.unavailable("kubectl is not installed (Debian: apt-get install kubernetes-client)");
			throw ex;
		}
		String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(Files.readString(errors)).isZero();
		List<JsonNode> objects = new ArrayList<>();
		try (MappingIterator<JsonNode> documents = YAMLMapper.builder()
			.build()
			.readerFor(JsonNode.class)
			.readValues(yaml)) {
			while (documents.hasNext()) {
				JsonNode document = documents.next();
				if (document != null && !document.isNull() && !document.isEmpty()) {
					objects.add(document);
				}
			}
		}
		return objects;
	}

}
