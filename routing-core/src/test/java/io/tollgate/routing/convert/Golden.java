package io.tollgate.routing.convert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Golden fixtures under {@code src/test/resources/golden/<kind>/}: files named after
 * checklist items, an input and an expected output per case. Run the tests with
 * {@code -Dgolden.update=true} to rewrite expected files from the current output (then
 * review the diff).
 */
final class Golden {

	static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	static final String MESSAGE_ID = "msg_test";

	static final ObjectNode DEFAULT_REQUEST = (ObjectNode) MAPPER.readTree("""
			{"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[{"role":"user","content":"Hi"}]}""");

	private final Path directory;

	private Golden(Path directory) {
		this.directory = directory;
	}

	static Golden of(String kind) {
		try {
			return new Golden(Path.of(Golden.class.getResource("/golden/" + kind).toURI()));
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The case names: file names without the given input suffix, sorted. */
	List<String> cases(String inputSuffix) {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(inputSuffix))
				.map((name) -> name.substring(0, name.length() - inputSuffix.length()))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	boolean exists(String name) {
		return Files.exists(this.directory.resolve(name));
	}

	JsonNode json(String name) {
		return MAPPER.readTree(text(name));
	}

	String text(String name) {
		try {
			return Files.readString(this.directory.resolve(name), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The Anthropic request of a case, or a one-line default when the case has none. */
	ObjectNode request(String caseName) {
		String file = caseName + ".request.json";
		return exists(file) ? (ObjectNode) json(file) : DEFAULT_REQUEST.deepCopy();
	}

	/** The expected JSON, first written from {@code actual} when updating. */
	JsonNode expected(String name, JsonNode actual) {
		if (Boolean.getBoolean("golden.update")) {
			String text = MAPPER.writeValueAsString(actual);
			write(name, text + "\n");
			return MAPPER.readTree(text);
		}
		return json(name);
	}

	/** The expected text, first written from {@code actual} when updating. */
	String expectedText(String name, String actual) {
		if (Boolean.getBoolean("golden.update")) {
			write(name, actual + "\n");
			return actual;
		}
		return text(name).strip();
	}

	private void write(String name, String content) {
		Path source = Path.of("src/test/resources/golden", this.directory.getFileName().toString(), name);
		try {
			Files.writeString(source, content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The JSON as the fixture files hold it: number node types normalised through text.
	 */
	static JsonNode normalised(JsonNode node) {
		return MAPPER.readTree(MAPPER.writeValueAsString(node));
	}

	static ConvertedRequest convert(ObjectNode request, OpenAiQuirks quirks) {
		return new RequestConverter(() -> MESSAGE_ID).toOpenAi(request, "upstream-model", quirks);
	}

}
