package io.tollgate.routing.intent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * What the router model is shown of a request: the last user turn, a short preview of
 * each earlier message, the tools offered and the images sent.
 *
 * @param lastUserText the text of the last user message (tool results included)
 * @param messages a preview of every message, by index
 * @param tools the tools offered, by name with their descriptions
 * @param images the images, as (message index, block index) pairs
 * @param usedTools the names of tools the conversation already called
 */
public record RequestDigest(String lastUserText, List<Preview> messages, List<ToolInfo> tools, List<int[]> images,
		Set<String> usedTools) {

	static final int PREVIEW = 240;

	static final int LAST_TURN = 4000;

	/** Digests a Messages request tree. */
	public static RequestDigest of(JsonNode request) {
		JsonNode messages = request.path("messages");
		List<Preview> previews = new ArrayList<>();
		List<int[]> images = new ArrayList<>();
		Set<String> used = new LinkedHashSet<>();
		int lastUser = -1;
		for (int i = 0; i < messages.size(); i++) {
			JsonNode message = messages.get(i);
			String role = message.path("role").asString("");
			if (role.equals("user")) {
				lastUser = i;
			}
			JsonNode content = message.path("content");
			if (content.isArray()) {
				for (int b = 0; b < content.size(); b++) {
					JsonNode block = content.get(b);
					String type = block.path("type").asString("");
					if (type.equals("image")) {
						images.add(new int[] { i, b });
					}
					if (type.equals("tool_use")) {
						used.add(block.path("name").asString(""));
					}
				}
			}
			previews.add(new Preview(i, role, cut(text(content), PREVIEW)));
		}
		String last = (lastUser >= 0) ? cut(text(messages.get(lastUser).path("content")), LAST_TURN) : "";
		List<ToolInfo> tools = new ArrayList<>();
		for (JsonNode tool : request.path("tools")) {
			String name = tool.path("name").asString("");
			if (!name.isEmpty()) {
				tools.add(new ToolInfo(name, cut(tool.path("description").asString(""), 200)));
			}
		}
		return new RequestDigest(last, List.copyOf(previews), List.copyOf(tools), List.copyOf(images),
				Set.copyOf(used));
	}

	/** The text of a message's content: strings, text blocks and tool results. */
	static String text(JsonNode content) {
		if (content.isString()) {
			return content.stringValue();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode block : content) {
			String type = block.path("type").asString("");
			switch (type) {
				case "text" -> append(text, block.path("text").asString(""));
				case "tool_result" -> append(text, "[tool result] " + text(block.path("content")));
				case "tool_use" -> append(text, "[calls " + block.path("name").asString("") + "]");
				case "image" -> append(text, "[image]");
				default -> {
				}
			}
			if (text.length() > LAST_TURN) {
				break;
			}
		}
		return text.toString();
	}

	private static void append(StringBuilder text, String part) {
		if (!text.isEmpty()) {
			text.append('\n');
		}
		text.append(part);
	}

	static String cut(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max) + "…";
	}

	/**
	 * One message as the router model sees it.
	 *
	 * @param index its index in {@code messages}
	 * @param role user or assistant
	 * @param preview its text, cut short
	 */
	public record Preview(int index, String role, String preview) {
	}

	/**
	 * A tool as the router model sees it.
	 *
	 * @param name its name
	 * @param description its description, cut short
	 */
	public record ToolInfo(String name, String description) {
	}

}
