package io.tollgate.routing.redact;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of personal or secret data Tollgate can mask, with the names requests and
 * configuration use for them ({@code gateway.redact: ["email","credit_card"]}).
 */
public enum PiiType {

	EMAIL("email"), PHONE("phone"), IP_ADDRESS("ip_address"), UUID("uuid"), SECRET("secret"),
	CREDIT_CARD("credit_card"), IBAN("iban"), US_SSN("us_ssn"), MAC_ADDRESS("mac_address"), CUSTOM("custom");

	private final String wireName;

	PiiType(String wireName) {
		this.wireName = wireName;
	}

	/** The name used on the wire, in configuration, in usage records and in metrics. */
	public String wireName() {
		return this.wireName;
	}

	/** Every built-in detector (all but {@link #CUSTOM}, which needs terms). */
	public static Set<PiiType> builtIn() {
		return EnumSet.complementOf(EnumSet.of(CUSTOM));
	}

	/** The type with this wire name, in any case, with {@code -} read as {@code _}. */
	public static Optional<PiiType> fromWireName(String name) {
		String normal = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
		for (PiiType type : values()) {
			if (type.wireName.equals(normal)) {
				return Optional.of(type);
			}
		}
		return switch (normal) {
			case "ip", "ipv4", "ipv6" -> Optional.of(IP_ADDRESS);
			case "ssn" -> Optional.of(US_SSN);
			case "mac" -> Optional.of(MAC_ADDRESS);
			case "card", "creditcard" -> Optional.of(CREDIT_CARD);
			case "token", "secrets", "api_key" -> Optional.of(SECRET);
			default -> Optional.empty();
		};
	}

}
