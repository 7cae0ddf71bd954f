package io.tollgate.routing.convert;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * User content blocks as OpenAI content parts: text, images (C110), documents (C111) and
 * search results (C64).
 */
final class ContentParts {

	private final OpenAiQuirks quirks;

	ContentParts(OpenAiQuirks quirks) {
		this.quirks = quirks;
	}

	/**
	 * Appends the parts for one block.
	 * @return {@code false} when the block is not user content (tool results, thinking,
	 * server tool blocks)
	 */
	boolean append(JsonNode block, String path, List<ObjectNode> parts) {
		switch (typeOf(block)) {
			case "text" -> {
				String text = Json.text(block, "text");
				if (!Json.isEmpty(text)) {
					parts.add(text(text, block));
				}
			}
			case "image" -> parts.add(image(block, path));
			case "document" -> document(block, path, parts);
			case "search_result" -> parts.add(text(searchResultText(block), block));
			default -> {
				return false;
			}
		}
		return true;
	}

	ObjectNode text(String text, JsonNode block) {
		ObjectNode part = Json.object().put("type", "text").put("text", text);
		copyCacheControl(block, part, this.quirks);
		return part;
	}

	static void copyCacheControl(JsonNode block, ObjectNode part, OpenAiQuirks quirks) {
		JsonNode cacheControl = Json.object(block, "cache_control");
		if (quirks.acceptsCacheControl() && cacheControl != null) {
			part.set("cache_control", cacheControl.deepCopy());
		}
	}

	static String typeOf(JsonNode block) {
		String type = Json.text(block, "type");
		return (type != null) ? type : "";
	}

	private ObjectNode image(JsonNode block, String path) {
		JsonNode source = requireSource(block, path);
		String url = switch (typeOf(source)) {
			case "base64" -> dataUrl(require(source, "media_type", path), require(source, "data", path));
			case "url" -> require(source, "url", path);
			default -> throw unsupportedSource(source, path);
		};
		ObjectNode part = Json.object().put("type", "image_url");
		part.putObject("image_url").put("url", url);
		copyCacheControl(block, part, this.quirks);
		return part;
	}

	private void document(JsonNode block, String path, List<ObjectNode> parts) {
		JsonNode source = requireSource(block, path);
		String title = Json.text(block, "title");
		switch (typeOf(source)) {
			case "base64" -> parts.add(pdf(source, title, path));
			case "text" -> {
				String data = require(source, "data", path);
				parts.add(text(Json.isEmpty(title) ? data : title + "\n\n" + data, block));
			}
			case "content" -> embeddedContent(source.get("content"), path, parts);
			default -> throw unsupportedSource(source, path);
		}
	}

	private ObjectNode pdf(JsonNode source, String title, String path) {
		String mediaType = require(source, "media_type", path);
		if (!"application/pdf".equals(mediaType)) {
			throw ConversionException.at(path + ".source.media_type",
					"Input should be 'application/pdf' for a base64 document");
		}
		ObjectNode part = Json.object().put("type", "file");
		part.putObject("file")
			.put("filename", Json.isEmpty(title) ? "document.pdf" : title)
			.put("file_data", dataUrl(mediaType, require(source, "data", path)));
		return part;
	}

	private void embeddedContent(JsonNode content, String path, List<ObjectNode> parts) {
		if (content != null && content.isString()) {
			parts.add(text(content.stringValue(), null));
		}
		else if (content != null && content.isArray()) {
			for (int i = 0; i < content.size(); i++) {
				append(content.get(i), path + ".source.content." + i, parts);
			}
		}
	}

	private static String searchResultText(JsonNode block) {
		StringBuilder text = new StringBuilder();
		text.append("Source: ").append(Json.text(block, "source")).append('\n');
		text.append("Title: ").append(Json.text(block, "title"));
		JsonNode content = Json.array(block, "content");
		if (content != null) {
			for (JsonNode item : content) {
				String itemText = Json.text(item, "text");
				if (!Json.isEmpty(itemText)) {
					text.append('\n').append(itemText);
				}
			}
		}
		return text.toString();
	}

	/**
	 * A data URL, leaving data that already is one alone so its prefix is not doubled
	 * (C110).
	 */
	static String dataUrl(String mediaType, String data) {
		return data.startsWith("data:") ? data : "data:" + mediaType + ";base64," + data;
	}

	private static JsonNode requireSource(JsonNode block, String path) {
		JsonNode source = Json.object(block, "source");
		if (source == null) {
			throw ConversionException.at(path + ".source", "Field required");
		}
		return source;
	}

	private static String require(JsonNode source, String field, String path) {
		String value = Json.text(source, field);
		if (value == null) {
			throw ConversionException.at(path + ".source." + field, "Field required");
		}
		return value;
	}

	private static ConversionException unsupportedSource(JsonNode source, String path) {
		return ConversionException.at(path + ".source.type",
				"source type '" + typeOf(source) + "' cannot be sent to an OpenAI-compatible upstream");
	}

}
