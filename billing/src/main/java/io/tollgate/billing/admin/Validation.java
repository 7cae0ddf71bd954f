package io.tollgate.billing.admin;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;

import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;

/** Input checks shared by the admin services; failures are {@link AdminException}s. */
final class Validation {

	private Validation() {
	}

	static String name(String value, String what) {
		if (value == null || value.isBlank()) {
			throw AdminException.invalid(what + " is required");
		}
		if (value.length() > 200) {
			throw AdminException.invalid(what + " is longer than 200 characters");
		}
		return value.trim();
	}

	static String oneOf(String value, String what, String... allowed) {
		String normalized = (value != null) ? value.trim().toLowerCase(Locale.ROOT) : "";
		if (!Arrays.asList(allowed).contains(normalized)) {
			throw AdminException.invalid(what + " must be one of " + String.join(", ", allowed));
		}
		return normalized;
	}

	static Integer positive(Integer value, String what) {
		if (value != null && value <= 0) {
			throw AdminException.invalid(what + " must be positive");
		}
		return value;
	}

	static BigDecimal nonNegative(BigDecimal value, String what) {
		if (value != null && value.signum() < 0) {
			throw AdminException.invalid(what + " must not be negative");
		}
		return value;
	}

	static <T> Mono<T> unique(Mono<T> insert, String what, String name) {
		return insert.onErrorMap(DataIntegrityViolationException.class,
				(ex) -> AdminException.invalid("A " + what + " named '" + name + "' already exists"));
	}

}
