package io.tollgate.routing.convert;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Follows, fragment by fragment, whether the text so far is the beginning of one strict
 * JSON object, so that tool arguments can be streamed as they arrive and still
 * concatenate into an object (C90). A fragment that would break that is refused and
 * leaves the state as it was. Also says how to close a valid beginning that the upstream
 * left unfinished. Not thread-safe; one instance per tool call.
 */
final class JsonPrefix {

	private State state = new State();

	private final StringBuilder compact = new StringBuilder();

	/**
	 * Takes a fragment if the text stays the beginning of a JSON object.
	 * @return {@code false}, with nothing taken, when the fragment would break it
	 */
	boolean accept(String fragment) {
		State before = this.state.copy();
		int compactLength = this.compact.length();
		for (int i = 0; i < fragment.length(); i++) {
			if (!step(fragment.charAt(i))) {
				this.state = before;
				this.compact.setLength(compactLength);
				return false;
			}
		}
		return true;
	}

	/** Whether the object is complete. */
	boolean complete() {
		return this.state.expect == Expect.DONE;
	}

	/** Whether anything but whitespace was taken. */
	boolean started() {
		return !this.compact.isEmpty();
	}

	/** The text taken, without whitespace outside strings. */
	String compact() {
		return this.compact.toString();
	}

	/**
	 * What to append so that the text taken becomes a complete object: an open string,
	 * literal or number finished, a missing value as {@code null}, open containers
	 * closed.
	 */
	String closingSuffix() {
		State s = this.state.copy();
		StringBuilder suffix = new StringBuilder();
		if (s.inString) {
			if (s.escape == 1) {
				suffix.append('n');
			}
			else if (s.escape > 1) {
				suffix.append("0".repeat(6 - s.escape));
			}
			suffix.append('"');
			s.expect = s.stringIsKey ? Expect.COLON : Expect.COMMA_OR_END;
		}
		if (s.literal != null) {
			suffix.append(s.literal);
			s.expect = Expect.COMMA_OR_END;
		}
		if (s.number != null) {
			if (!s.number.complete) {
				suffix.append('0');
			}
			s.expect = Expect.COMMA_OR_END;
		}
		switch (s.expect) {
			case COLON -> suffix.append(":null");
			case VALUE -> suffix.append("null");
			case KEY -> suffix.append("\"\":null");
			default -> {
			}
		}
		s.containers.forEach((open) -> suffix.append((open == '{') ? '}' : ']'));
		return suffix.toString();
	}

	private boolean step(char c) {
		State s = this.state;
		if (s.inString) {
			this.compact.append(c);
			return stringChar(s, c);
		}
		if (s.literal != null) {
			if (c != s.literal.charAt(0)) {
				return false;
			}
			this.compact.append(c);
			s.literal = (s.literal.length() == 1) ? null : s.literal.substring(1);
			if (s.literal == null) {
				s.expect = Expect.COMMA_OR_END;
			}
			return true;
		}
		if (s.number != null) {
			NumberState next = s.number.next(c);
			if (next != null) {
				this.compact.append(c);
				s.number = next;
				return true;
			}
			if (!s.number.complete) {
				return false;
			}
			s.number = null;
			s.expect = Expect.COMMA_OR_END;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			return true;
		}
		if (s.expect == Expect.DONE) {
			return false;
		}
		this.compact.append(c);
		return structural(s, c);
	}

	private static boolean stringChar(State s, char c) {
		if (s.escape == 1) {
			if (c == 'u') {
				s.escape = 2;
				return true;
			}
			s.escape = 0;
			return "\"\\/bfnrt".indexOf(c) >= 0;
		}
		if (s.escape > 1) {
			if (Character.digit(c, 16) < 0) {
				return false;
			}
			s.escape = (s.escape == 5) ? 0 : s.escape + 1;
			return true;
		}
		if (c == '\\') {
			s.escape = 1;
			return true;
		}
		if (c == '"') {
			s.inString = false;
			s.expect = s.stringIsKey ? Expect.COLON : Expect.COMMA_OR_END;
			return true;
		}
		return c >= 0x20;
	}

	private static boolean structural(State s, char c) {
		switch (s.expect) {
			case KEY_OR_END, KEY -> {
				if (c == '"') {
					s.inString = true;
					s.stringIsKey = true;
					return true;
				}
				return c == '}' && s.expect == Expect.KEY_OR_END && close(s, '{');
			}
			case COLON -> {
				s.expect = Expect.VALUE;
				return c == ':';
			}
			case COMMA_OR_END -> {
				if (c == ',') {
					s.expect = (s.containers.peek() == '{') ? Expect.KEY : Expect.VALUE;
					return true;
				}
				return (c == '}' || c == ']') && close(s, (c == '}') ? '{' : '[');
			}
			case VALUE_OR_END -> {
				if (c == ']') {
					return close(s, '[');
				}
				return value(s, c);
			}
			case VALUE -> {
				return value(s, c);
			}
			default -> {
				return false;
			}
		}
	}

	private static boolean value(State s, char c) {
		if (s.containers.isEmpty() && c != '{') {
			return false;
		}
		switch (c) {
			case '{' -> {
				s.containers.push('{');
				s.expect = Expect.KEY_OR_END;
			}
			case '[' -> {
				s.containers.push('[');
				s.expect = Expect.VALUE_OR_END;
			}
			case '"' -> {
				s.inString = true;
				s.stringIsKey = false;
			}
			case 't' -> s.literal = "rue";
			case 'f' -> s.literal = "alse";
			case 'n' -> s.literal = "ull";
			default -> {
				NumberState number = NumberState.START.next(c);
				if (number == null) {
					return false;
				}
				s.number = number;
			}
		}
		return true;
	}

	private static boolean close(State s, char open) {
		if (s.containers.isEmpty() || s.containers.peek() != open) {
			return false;
		}
		s.containers.pop();
		s.expect = s.containers.isEmpty() ? Expect.DONE : Expect.COMMA_OR_END;
		return true;
	}

	private enum Expect {

		VALUE, KEY_OR_END, KEY, COLON, COMMA_OR_END, VALUE_OR_END, DONE

	}

	/** Where a number is in the JSON number grammar; {@code complete} may end it. */
	private enum NumberState {

		START(false), MINUS(false), ZERO(true), INT(true), DOT(false), FRACTION(true), E(false), E_SIGN(false),
		EXPONENT(true);

		final boolean complete;

		NumberState(boolean complete) {
			this.complete = complete;
		}

		NumberState next(char c) {
			boolean digit = c >= '0' && c <= '9';
			return switch (this) {
				case START -> (c == '-') ? MINUS : (c == '0') ? ZERO : digit ? INT : null;
				case MINUS -> (c == '0') ? ZERO : digit ? INT : null;
				case ZERO -> (c == '.') ? DOT : (c == 'e' || c == 'E') ? E : null;
				case INT -> digit ? INT : (c == '.') ? DOT : (c == 'e' || c == 'E') ? E : null;
				case DOT, FRACTION -> digit ? FRACTION : (this == FRACTION && (c == 'e' || c == 'E')) ? E : null;
				case E -> (c == '+' || c == '-') ? E_SIGN : digit ? EXPONENT : null;
				case E_SIGN, EXPONENT -> digit ? EXPONENT : null;
			};
		}

	}

	private static final class State {

		Deque<Character> containers = new ArrayDeque<>();

		Expect expect = Expect.VALUE;

		boolean inString;

		boolean stringIsKey;

		/** 0 none, 1 after a backslash, 2 to 5 the hex digits of a {@code \\u} escape. */
		int escape;

		String literal;

		NumberState number;

		State copy() {
			State copy = new State();
			copy.containers = new ArrayDeque<>(this.containers);
			copy.expect = this.expect;
			copy.inString = this.inString;
			copy.stringIsKey = this.stringIsKey;
			copy.escape = this.escape;
			copy.literal = this.literal;
			copy.number = this.number;
			return copy;
		}

	}

}
