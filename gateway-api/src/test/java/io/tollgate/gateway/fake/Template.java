package io.tollgate.gateway.fake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.io.JsonStringEncoder;

/**
 * A response body or SSE frame serialised once, with a few slots filled per request.
 * Keeps the per-request work of the fake down to a handful of array copies.
 * <p>
 * Slots are written as JSON strings when the template is built: {@value #MODEL} inside a
 * string is replaced by the request's model (JSON-escaped), {@value #ID} by the
 * per-request id, and {@code "@@input+N@@"} (with the quotes) by the number
 * {@code inputTokens + N}.
 */
final class Template {

	static final String MODEL = "@@model@@";

	static final String ID = "@@id@@";

	private static final Pattern SLOT = Pattern.compile("@@model@@|@@id@@|\"@@input\\+(\\d+)@@\"");

	/**
	 * Each part is a {@code byte[]} literal, a {@link String} slot name, or an
	 * {@link Integer} input offset.
	 */
	private final List<Object> parts;

	private Template(List<Object> parts) {
		this.parts = parts;
	}

	/** The slot text that becomes the number {@code inputTokens + offset}. */
	static String input(int offset) {
		return "@@input+" + offset + "@@";
	}

	static Template compile(String text) {
		List<Object> parts = new ArrayList<>();
		Matcher matcher = SLOT.matcher(text);
		int last = 0;
		while (matcher.find()) {
			parts.add(text.substring(last, matcher.start()).getBytes(StandardCharsets.UTF_8));
			parts.add((matcher.group(1) != null) ? (Object) Integer.valueOf(matcher.group(1)) : matcher.group());
			last = matcher.end();
		}
		parts.add(text.substring(last).getBytes(StandardCharsets.UTF_8));
		return new Template(List.copyOf(parts));
	}

	byte[] render(Fill fill) {
		byte[][] pieces = new byte[this.parts.size()][];
		int length = 0;
		for (int i = 0; i < pieces.length; i++) {
			pieces[i] = piece(this.parts.get(i), fill);
			length += pieces[i].length;
		}
		byte[] rendered = new byte[length];
		int position = 0;
		for (byte[] piece : pieces) {
			System.arraycopy(piece, 0, rendered, position, piece.length);
			position += piece.length;
		}
		return rendered;
	}

	private static byte[] piece(Object part, Fill fill) {
		if (part instanceof byte[] literal) {
			return literal;
		}
		if (part instanceof Integer offset) {
			return Integer.toString(fill.inputTokens() + offset).getBytes(StandardCharsets.US_ASCII);
		}
		return MODEL.equals(part) ? fill.model() : fill.id();
	}

	/**
	 * The per-request values of the slots.
	 *
	 * @param model the model, already JSON-escaped UTF-8
	 * @param id the per-request id suffix
	 * @param inputTokens the input tokens derived from the request
	 */
	record Fill(byte[] model, byte[] id, int inputTokens) {

		static Fill of(String model, long sequence, int inputTokens) {
			return new Fill(JsonStringEncoder.getInstance().quoteAsUTF8(model),
					Long.toString(sequence).getBytes(StandardCharsets.US_ASCII), inputTokens);
		}

	}

}
