package io.tollgate.routing.redact;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.routing.json.JsonStrings;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.core.json.JsonFactory;

/**
 * Masks the text a model sees in a Messages request: the system prompt, user and
 * assistant text, tool results and the string values of tool-use inputs. Image and
 * document bytes, thinking blocks and their signatures, ids, names and every other field
 * are left alone. The JSON is parsed once: the parser walks the structure and skips
 * strings, and each string to look at is decoded here straight from the bytes. Only the
 * bytes of each masked value are replaced; every other byte of the request, the rest of a
 * masked string included, stays as the client sent it, so the passthrough stays
 * byte-faithful and prompt caching keeps working for unchanged prefixes.
 */
public final class RequestRedaction {

	private static final JsonFactory JSON = new JsonFactory();

	private final byte[] body;

	private final Redactor.Scanner scanner;

	private final JsonStringValue value = new JsonStringValue();

	private final RedactionTally tally = new RedactionTally();

	private final List<Splice> splices = new ArrayList<>();

	private RequestRedaction(byte[] body, Redactor redactor) {
		this.body = body;
		this.scanner = redactor.scanner();
	}

	/**
	 * Masks a request body.
	 * @param body the Messages request, already checked to be a JSON object of valid
	 * Unicode
	 * @param redactor what to mask
	 * @return the body (the same array when nothing changed) and what was masked
	 */
	public static Result redact(byte[] body, Redactor redactor) {
		if (redactor.isEmpty()) {
			return new Result(body, new RedactionTally());
		}
		RequestRedaction redaction = new RequestRedaction(body, redactor);
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
			redaction.request(parser);
		}
		return new Result(redaction.splice(body), redaction.tally);
	}

	private void request(JsonParser parser) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			return;
		}
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (name.equals("system")) {
				content(parser, value);
			}
			else if (name.equals("messages") && value == JsonToken.START_ARRAY) {
				while (parser.nextToken() == JsonToken.START_OBJECT) {
					message(parser);
				}
			}
			else {
				parser.skipChildren();
			}
		}
	}

	private void message(JsonParser parser) {
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (name.equals("content")) {
				content(parser, value);
			}
			else {
				parser.skipChildren();
			}
		}
	}

	/** A string, or an array of content blocks. */
	private void content(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_STRING) {
			string(parser);
		}
		else if (value == JsonToken.START_ARRAY) {
			JsonToken element;
			while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
				if (element == JsonToken.START_OBJECT) {
					block(parser);
				}
				else {
					parser.skipChildren();
				}
			}
		}
		else {
			parser.skipChildren();
		}
	}

	private void block(JsonParser parser) {
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (name) {
				// text blocks, document titles and context, tool results (nested blocks)
				case "text", "title", "context" -> {
					if (value == JsonToken.VALUE_STRING) {
						string(parser);
					}
					else {
						parser.skipChildren();
					}
				}
				case "content" -> content(parser, value);
				case "input" -> everyString(parser, value);
				case "source" -> source(parser, value);
				// thinking and its signature, ids, names
				default -> parser.skipChildren();
			}
		}
	}

	/**
	 * A document's or image's source: the text of a plain-text document
	 * ({@code {"type":"text","data":...}}) and the blocks of a content document are
	 * masked; base64 bytes and URLs are left alone. The type may come after the data, so
	 * the data's place is noted and masked once the type is known.
	 */
	private void source(JsonParser parser, JsonToken value) {
		if (value != JsonToken.START_OBJECT) {
			parser.skipChildren();
			return;
		}
		String type = null;
		int data = -1;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken member = parser.nextToken();
			if (name.equals("type") && member == JsonToken.VALUE_STRING) {
				type = parser.getString();
			}
			else if (name.equals("data") && member == JsonToken.VALUE_STRING) {
				data = (int) parser.currentTokenLocation().getByteOffset();
			}
			else if (name.equals("content")) {
				content(parser, member);
			}
			else {
				parser.skipChildren();
			}
		}
		if ("text".equals(type) && data >= 0) {
			string(data);
		}
	}

	/** Every string value below this one (names of members are not values). */
	private void everyString(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_STRING) {
			string(parser);
		}
		else if (value == JsonToken.START_OBJECT) {
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				everyString(parser, parser.nextToken());
			}
		}
		else if (value == JsonToken.START_ARRAY) {
			JsonToken element;
			while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
				everyString(parser, element);
			}
		}
	}

	/**
	 * Masks one string value. The string is decoded from the bytes here (the parser only
	 * skips it), and each masked value replaces its own bytes; only if a value were to
	 * split a surrogate pair would the whole string be written anew.
	 */
	private void string(JsonParser parser) {
		string((int) parser.currentTokenLocation().getByteOffset());
	}

	/** Masks the string value whose opening quote is at this index. */
	private void string(int quote) {
		int close = this.value.decode(this.body, quote);
		String text = this.value.text();
		byte[] latin = this.value.latin();
		List<Redactor.Match> matches = (latin != null) ? this.scanner.matches(text, latin)
				: this.scanner.matches(text, this.value.chars());
		if (matches.isEmpty()) {
			return;
		}
		int[] bytes = new int[matches.size() * 2];
		JsonStringValue.Cursor cursor = new JsonStringValue.Cursor();
		for (int i = 0; i < matches.size(); i++) {
			bytes[2 * i] = this.value.byteIndex(matches.get(i).start(), cursor);
			bytes[2 * i + 1] = this.value.byteIndex(matches.get(i).end(), cursor);
			if (bytes[2 * i] < 0 || bytes[2 * i + 1] < 0) {
				this.splices
					.add(new Splice(quote, close + 1, JsonStrings.quote(Redactor.apply(text, matches, this.tally))));
				return;
			}
		}
		JsonStringEncoder encoder = JsonStringEncoder.getInstance();
		for (int i = 0; i < matches.size(); i++) {
			Redactor.Match match = matches.get(i);
			this.splices.add(new Splice(bytes[2 * i], bytes[2 * i + 1], encoder.quoteAsUTF8(match.mask())));
			this.tally.add(match.type());
		}
	}

	private byte[] splice(byte[] body) {
		if (this.splices.isEmpty()) {
			return body;
		}
		// a document's data is masked after the members that follow it
		this.splices.sort(java.util.Comparator.comparingInt(Splice::start));
		ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
		int at = 0;
		for (Splice splice : this.splices) {
			out.write(body, at, splice.start() - at);
			out.writeBytes(splice.value());
			at = splice.end();
		}
		out.write(body, at, body.length - at);
		return out.toByteArray();
	}

	private record Splice(int start, int end, byte[] value) {
	}

	/**
	 * A masked request.
	 *
	 * @param body the body to forward
	 * @param tally what was masked, by kind
	 */
	public record Result(byte[] body, RedactionTally tally) {

		/** Whether anything was masked. */
		public boolean changed() {
			return this.tally.total() > 0;
		}

	}

}
