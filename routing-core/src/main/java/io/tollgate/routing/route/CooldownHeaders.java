package io.tollgate.routing.route;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a rate-limited or overloaded upstream asks to be left alone, read from its
 * response headers: {@code retry-after} (seconds or an HTTP date) first, else the
 * earliest Anthropic {@code anthropic-ratelimit-*-reset} instant of a limit that is used
 * up (or of any, when none says so), else the earliest OpenAI {@code x-ratelimit-reset-*}
 * duration ({@code 1s}, {@code 6m0s}, {@code 20ms}).
 */
public final class CooldownHeaders {

	private static final String ANTHROPIC = "anthropic-ratelimit-";

	private static final String OPENAI_RESET = "x-ratelimit-reset-";

	private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

	private CooldownHeaders() {
	}

	/**
	 * The wait the headers ask for.
	 * @param headers response headers, names in lower case
	 * @param now the current time
	 * @return the wait, or empty when the headers name none
	 */
	public static Optional<Duration> wait(Map<String, String> headers, Instant now) {
		Duration retryAfter = retryAfter(headers.get("retry-after"), now);
		if (retryAfter != null) {
			return Optional.of(retryAfter);
		}
		Duration anthropic = anthropicReset(headers, now);
		if (anthropic != null) {
			return Optional.of(anthropic);
		}
		return Optional.ofNullable(openAiReset(headers));
	}

	static Duration retryAfter(String value, Instant now) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		try {
			double seconds = Double.parseDouble(trimmed);
			return (seconds >= 0) ? Duration.ofMillis((long) (seconds * 1000)) : null;
		}
		catch (NumberFormatException ex) {
			try {
				Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				return nonNegative(Duration.between(now, at));
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	private static Duration anthropicReset(Map<String, String> headers, Instant now) {
		Duration exhausted = null;
		Duration any = null;
		for (Map.Entry<String, String> header : headers.entrySet()) {
			String name = header.getKey();
			if (!name.startsWith(ANTHROPIC) || !name.endsWith("-reset")) {
				continue;
			}
			Instant at;
			try {
				at = Instant.parse(header.getValue().trim());
			}
			catch (DateTimeParseException ex) {
				continue;
			}
			Duration wait = nonNegative(Duration.between(now, at));
			any = earlier(any, wait);
			String limit = name.substring(0, name.length() - "-reset".length());
			if ("0".equals(headers.get(limit + "-remaining"))) {
				exhausted = earlier(exhausted, wait);
			}
		}
		return (exhausted != null) ? exhausted : any;
	}

	private static Duration openAiReset(Map<String, String> headers) {
		Duration earliest = null;
		for (Map.Entry<String, String> header : headers.entrySet()) {
			if (header.getKey().startsWith(OPENAI_RESET)) {
				earliest = earlier(earliest, goDuration(header.getValue()));
			}
		}
		return earliest;
	}

	/** Parses OpenAI's Go-style durations such as {@code 1m30.5s} or {@code 120ms}. */
	static Duration goDuration(String value) {
		if (value == null) {
			return null;
		}
		String text = value.trim();
		Matcher matcher = GO_DURATION.matcher(text);
		double millis = 0;
		int end = 0;
		while (matcher.find() && matcher.start() == end) {
			double amount = Double.parseDouble(matcher.group(1));
			millis += switch (matcher.group(2)) {
				case "h" -> amount * 3_600_000;
				case "m" -> amount * 60_000;
				case "s" -> amount * 1000;
				default -> amount;
			};
			end = matcher.end();
		}
		return (end > 0 && end == text.length()) ? Duration.ofMillis((long) Math.ceil(millis)) : null;
	}

	private static Duration earlier(Duration a, Duration b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.compareTo(b) <= 0) ? a : b;
	}

	private static Duration nonNegative(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

}
