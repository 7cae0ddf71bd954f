package io.tollgate.routing.intent;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies the router model's scores to a request: drops earlier messages the current turn
 * does not depend on, tools it will not need and past images it does not look at. The
 * result stays a request the API accepts and Claude Code's tool loop survives: a tool
 * call and its result go together, the last two messages are never touched, a tool the
 * conversation already used or the request forces is never dropped, and whatever the
 * router did not score is kept.
 */
public final class ContextPruner {

	/** The score below which a past image goes. */
	static final double MEDIA_THRESHOLD = 0.5;

	private ContextPruner() {
	}

	/**
	 * Prunes a request in place.
	 * @param request the request tree
	 * @param verdict the router's scores
	 * @param options what the request turned on
	 * @return what was removed
	 */
	public static Pruned prune(ObjectNode request, RouterVerdict verdict, IntentOptions options) {
		int images = options.media() ? images(request, verdict) : 0;
		int tools = (options.tools() != null) ? tools(request, verdict, options.tools()) : 0;
		int messages = (options.history() != null) ? history(request, verdict, options.history().score()) : 0;
		return new Pruned(messages, tools, images);
	}

	private static int history(ObjectNode request, RouterVerdict verdict, double threshold) {
		JsonNode node = request.get("messages");
		if (!(node instanceof ArrayNode messages) || messages.size() <= 2) {
			return 0;
		}
		int protectedFrom = messages.size() - 2;
		boolean[] drop = new boolean[messages.size()];
		for (int i = 0; i < protectedFrom; i++) {
			Double score = verdict.history().get(i);
			drop[i] = score != null && score < threshold;
		}
		// a kept call needs its result: dropping a result drops the call before it
		for (int i = 1; i < protectedFrom; i++) {
			if (drop[i] && !drop[i - 1]
					&& !intersection(toolUseIds(messages.get(i - 1)), toolResultIds(messages.get(i))).isEmpty()) {
				drop[i - 1] = true;
			}
		}
		Set<String> droppedCalls = new HashSet<>();
		for (int i = 0; i < messages.size(); i++) {
			if (drop[i]) {
				droppedCalls.addAll(toolUseIds(messages.get(i)));
			}
		}
		// a result whose call went goes too; a message left empty goes
		for (int i = 0; i < messages.size(); i++) {
			if (!drop[i] && !droppedCalls.isEmpty() && messages.get(i).path("content") instanceof ArrayNode content) {
				for (int b = content.size() - 1; b >= 0; b--) {
					JsonNode block = content.get(b);
					if (block.path("type").asString("").equals("tool_result")
							&& droppedCalls.contains(block.path("tool_use_id").asString(""))) {
						content.remove(b);
					}
				}
				drop[i] = content.isEmpty() && i < protectedFrom;
			}
		}
		// the conversation still opens with the user
		int first = 0;
		while (first < protectedFrom && drop[first]) {
			first++;
		}
		if (first < protectedFrom && messages.get(first).path("role").asString("").equals("assistant")
				&& toolUseIds(messages.get(first)).isEmpty()) {
			drop[first] = true;
		}
		int removed = 0;
		for (int i = messages.size() - 1; i >= 0; i--) {
			if (drop[i]) {
				messages.remove(i);
				removed++;
			}
		}
		return removed;
	}

	private static int tools(ObjectNode request, RouterVerdict verdict, IntentOptions.ToolOptimization options) {
		JsonNode node = request.get("tools");
		if (!(node instanceof ArrayNode tools)) {
			return 0;
		}
		Set<String> keep = new HashSet<>(options.alwaysInclude());
		keep.addAll(RequestDigest.of(request).usedTools());
		JsonNode choice = request.path("tool_choice");
		if (choice.path("type").asString("").equals("tool")) {
			keep.add(choice.path("name").asString(""));
		}
		int removed = 0;
		for (int i = tools.size() - 1; i >= 0; i--) {
			JsonNode tool = tools.get(i);
			String name = tool.path("name").asString("");
			Double score = verdict.tools().get(name);
			// server tools (web search, code execution) have a type and no schema: kept
			boolean custom = tool.has("input_schema");
			if (custom && score != null && score < options.acceptScore() && !keep.contains(name)) {
				tools.remove(i);
				removed++;
			}
		}
		if (tools.isEmpty()) {
			request.remove("tools");
			request.remove("tool_choice");
		}
		return removed;
	}

	private static int images(ObjectNode request, RouterVerdict verdict) {
		RequestDigest digest = RequestDigest.of(request);
		JsonNode messages = request.path("messages");
		int lastUser = -1;
		for (int i = 0; i < messages.size(); i++) {
			if (messages.get(i).path("role").asString("").equals("user")) {
				lastUser = i;
			}
		}
		int removed = 0;
		List<int[]> images = digest.images();
		for (int i = 0; i < images.size(); i++) {
			int[] at = images.get(i);
			Double score = verdict.media().get(i);
			if (at[0] < lastUser && score != null && score < MEDIA_THRESHOLD
					&& messages.get(at[0]).path("content") instanceof ArrayNode content) {
				ObjectNode note = content.objectNode();
				note.put("type", "text");
				note.put("text", "[image omitted]");
				content.set(at[1], note);
				removed++;
			}
		}
		return removed;
	}

	private static Set<String> toolUseIds(JsonNode message) {
		return ids(message, "tool_use", "id");
	}

	private static Set<String> toolResultIds(JsonNode message) {
		return ids(message, "tool_result", "tool_use_id");
	}

	private static Set<String> ids(JsonNode message, String type, String field) {
		Set<String> ids = new HashSet<>();
		for (JsonNode block : message.path("content")) {
			if (block.path("type").asString("").equals(type)) {
				ids.add(block.path(field).asString(""));
			}
		}
		return ids;
	}

	private static Set<String> intersection(Set<String> a, Set<String> b) {
		Set<String> both = new HashSet<>(a);
		both.retainAll(b);
		return both;
	}

	/**
	 * What pruning removed.
	 *
	 * @param messages earlier messages dropped
	 * @param tools tool definitions dropped
	 * @param images past images replaced by a note
	 */
	public record Pruned(int messages, int tools, int images) {

		public boolean changed() {
			return this.messages + this.tools + this.images > 0;
		}

	}

}
