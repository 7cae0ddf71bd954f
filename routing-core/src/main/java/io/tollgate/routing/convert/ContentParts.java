package io.tollgate.routing.convert;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * User content blocks as OpenAI content parts: text, images (C110), documents (C111) and
 * search results (C64). Sources an OpenAI-compatible upstream cannot take become a note,
 * never an error.
 */
final class ContentParts {

	private static final System.Logger LOGGER = System.getLogger(ContentParts.class.getName());

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
			case "image" -> image(block, path, parts);
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

	private void image(JsonNode block, String path, List<ObjectNode> parts) {
		JsonNode source = requireSource(block, path);
		String url = switch (typeOf(source)) {
			case "base64" -> dataUrl(require(source, "media_type", path), require(source, "data", path));
			case "url" -> require(source, "url", path);
			default -> null;
		};
		if (url == null) {
			parts.add(text(omitted("image", source, path), null));
			return;
		}
		ObjectNode part = Json.object().put("type", "image_url");
		part.putObject("image_url").put("url", url);
		copyCacheControl(block, part, this.quirks);
		parts.add(part);
	}

	/**
	 * A document as parts: a header with its {@code title} and {@code context} (they have
	 * no OpenAI field, and the model should still see them), then the content. A PDF by
	 * URL becomes a note with the URL, as OpenAI file parts take only inline data or
	 * their own file ids (C55, C111).
	 */
	private void document(JsonNode block, String path, List<ObjectNode> parts) {
		JsonNode source = requireSource(block, path);
		String header = documentHeader(block);
		switch (typeOf(source)) {
			case "base64" -> {
				// the title is the file name already; a context needs its own part
				if (!Json.isEmpty(Json.text(block, "context"))) {
					parts.add(text(header, null));
				}
				parts.add(pdf(source, Json.text(block, "title"), path));
			}
			case "text" -> {
				String data = require(source, "data", path);
				parts.add(text((header == null) ? data : header + "\n\n" + data, block));
			}
			case "content" -> {
				if (header != null) {
					parts.add(text(header, null));
				}
				embeddedContent(source.get("content"), path, parts);
			}
			case "url" -> {
				String note = "Document at " + require(source, "url", path);
				parts.add(text((header == null) ? note : header + "\n" + note, block));
			}
			default -> {
				String note = omitted("document", source, path);
				parts.add(text((header == null) ? note : header + "\n" + note, null));
			}
		}
	}

	/** The document's title and context as text, or {@code null} when it has neither. */
	private static String documentHeader(JsonNode block) {
		String title = Json.text(block, "title");
		String context = Json.text(block, "context");
		if (Json.isEmpty(title) && Json.isEmpty(context)) {
			return null;
		}
		StringBuilder header = new StringBuilder();
		if (!Json.isEmpty(title)) {
			header.append(title);
		}
		if (!Json.isEmpty(context)) {
			header.append(header.isEmpty() ? "" : "\n").append(context);
		}
		return header.toString();
	}

	/**
	 * A source the upstream cannot read (an Anthropic Files API id, a source type added
	 * later): the request still goes through, with a note in the prompt where the content
	 * was, and the reason is logged (C64). The real API accepts these, so a 400 would be
	 * wrong.
	 */
	private static String omitted(String kind, JsonNode source, String path) {
		LOGGER.log(System.Logger.Level.INFO,
				"{0}: {1} with source type ''{2}'' replaced by a note: an OpenAI-compatible upstream cannot read it",
				path, kind, typeOf(source));
		String fileId = Json.text(source, "file_id");
		return "(An attached " + kind + " could not be passed to this model"
				+ (Json.isEmpty(fileId) ? "" : ": file " + fileId) + ".)";
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

}
