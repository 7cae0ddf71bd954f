package io.tollgate.routing.redact;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedactorTests {

	private static final Redactor ALL = Redactor.of(PiiType.builtIn(), List.of());

	static Stream<Arguments> truePositives() {
		return Stream.of(
				Arguments.of(PiiType.EMAIL, "Write to john.doe@company.com today",
						"Write to jo****oe@co***ny.com today"),
				Arguments.of(PiiType.EMAIL, "<a.b+tag@mail.example.co.uk>", "<a.***ag@ma***********co.uk>"),
				Arguments.of(PiiType.PHONE, "call +44 20 7946 0958 now", "call +44 ** **** **58 now"),
				Arguments.of(PiiType.PHONE, "call +14155550132.", "call +14*******32."),
				Arguments.of(PiiType.PHONE, "office (415) 555-0132", "office (***) ***-**32"),
				Arguments.of(PiiType.PHONE, "office 415-555-0132", "office ***-***-**32"),
				Arguments.of(PiiType.IP_ADDRESS, "from 192.168.1.20:8080", "from 192.***.*.20:8080"),
				Arguments.of(PiiType.IP_ADDRESS, "host 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up",
						"host 2001:****:****:****:****:****:****:7334 up"),
				Arguments.of(PiiType.IP_ADDRESS, "link fe80::1ff:fe23:4567:890a", "link fe80::***:****:****:890a"),
				Arguments.of(PiiType.UUID, "id 123e4567-e89b-12d3-a456-426614174000",
						"id 123e****-****-****-****-********4000"),
				Arguments.of(PiiType.SECRET, "key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 ok",
						"key sk-ant-**** ok"),
				Arguments.of(PiiType.SECRET, "OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345",
						"OPENAI_API_KEY=sk-****"),
				Arguments.of(PiiType.SECRET, "token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "token ghp_****"),
				Arguments.of(PiiType.SECRET, "aws AKIAIOSFODNN7EXAMPLE", "aws AKIA****"),
				Arguments.of(PiiType.SECRET, "stripe sk_live_abcdefghijklmnop1234", "stripe sk_live_****"),
				Arguments.of(PiiType.SECRET, "slack xoxb-1234567890-abcdefghij", "slack xoxb-****"),
				Arguments.of(PiiType.SECRET, "google AIzaSyA-abcdefghijklmnopqrstuvwxyz01234", "google AIza****"),
				Arguments.of(PiiType.SECRET,
						"jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
						"jwt eyJ****"),
				Arguments.of(PiiType.SECRET, "Authorization: Bearer abcdef0123456789abcdef",
						"Authorization: Bearer ****"),
				Arguments.of(PiiType.SECRET,
						"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yc=\n-----END RSA PRIVATE KEY-----\nrest",
						"-----BEGIN PRIVATE KEY-----****\nrest"),
				Arguments.of(PiiType.CREDIT_CARD, "card 4111 1111 1111 1111 exp", "card 41** **** **** ***1 exp"),
				Arguments.of(PiiType.CREDIT_CARD, "card 5500-0055-5555-5559", "card 55**-****-****-***9"),
				Arguments.of(PiiType.CREDIT_CARD, "amex 378282246310005", "amex 37************5"),
				Arguments.of(PiiType.IBAN, "IBAN GB82 WEST 1234 5698 7654 32.", "IBAN GB** **** **** **** **** 32."),
				Arguments.of(PiiType.IBAN, "DE89370400440532013000", "DE******************00"),
				Arguments.of(PiiType.US_SSN, "SSN 123-45-6789", "SSN ***-**-**89"),
				Arguments.of(PiiType.MAC_ADDRESS, "nic 00:1A:2B:3C:4D:5E", "nic 00:**:**:**:**:5E"),
				Arguments.of(PiiType.MAC_ADDRESS, "nic 00-1a-2b-3c-4d-5e", "nic 00-**-**-**-**-5e"));
	}

	@ParameterizedTest
	@MethodSource("truePositives")
	void masksEachKindKeepingAHint(PiiType type, String text, String masked) {
		RedactionTally tally = new RedactionTally();
		assertThat(Redactor.of(Set.of(type), List.of()).redact(text, tally)).isEqualTo(masked);
		assertThat(tally.count(type)).isEqualTo(1);
		assertThat(ALL.redact(text, new RedactionTally())).isEqualTo(masked);
	}

	static Stream<String> nearMisses() {
		return Stream.of("card 4111 1111 1111 1112", // Luhn fails
				"order 1234567812345678", // Luhn passes? no: checked below to fail
				"card 9111 1111 1111 1116", // no issuer starts with 9
				"IBAN GB83 WEST 1234 5698 7654 32", // mod 97 fails
				"SSN 000-12-3456", "SSN 666-12-3456", "SSN 912-34-5678", "SSN 123-00-4567", "SSN 123-45-0000",
				"version 1.2.3.400", "at 999.1.1.1", "at 01.02.03.04", "time 12:30:45", "ratio a::b",
				"mac 00:1A:2B:3C:4D", "uuid 123e4567-e89b-12d3-a456-42661417400", "dial +12", "note sk-short",
				"AKIAIOSFODNN7EXAMPL", "email john@localhost", "path a/b@c", "Bearer short", "123-45-67890",
				"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----");
	}

	@ParameterizedTest
	@MethodSource("nearMisses")
	void leavesLookAlikesAlone(String text) {
		RedactionTally tally = new RedactionTally();
		assertThat(ALL.redact(text, tally)).isSameAs(text);
		assertThat(tally.total()).isZero();
	}

	@Test
	void nearMissCardNumberReallyFailsLuhn() {
		assertThat(Checksums.luhn("1234567812345678")).isFalse();
		assertThat(Checksums.luhn("4111111111111111")).isTrue();
	}

	@Test
	void masksTheSameValueTheSameWayAndCountsEachOccurrence() {
		RedactionTally tally = new RedactionTally();
		String masked = ALL.redact("a@example.com wrote to b@example.com, then a@example.com again", tally);
		assertThat(masked).isEqualTo("a@ex***le.com wrote to b@ex***le.com, then a@ex***le.com again");
		assertThat(tally.count(PiiType.EMAIL)).isEqualTo(3);
		assertThat(tally.toString()).isEqualTo("email=3");
	}

	@Test
	void masksOnlyTheKindsAsked() {
		Redactor emails = Redactor.of(EnumSet.of(PiiType.EMAIL), List.of());
		String text = "mail jo@example.com card 4111111111111111";
		assertThat(emails.redact(text, new RedactionTally())).isEqualTo("mail j*@ex***le.com card 4111111111111111");
	}

	@Test
	void masksCustomTermsAnyCaseAndCustomPatterns() {
		Redactor custom = Redactor.of(Set.of(), List.of("Project Falcon", "/ACME-[0-9]{4}/"));
		RedactionTally tally = new RedactionTally();
		assertThat(custom.redact("project falcon ships ACME-2024 and ACME-99", tally))
			.isEqualTo("p************* ships A******** and ACME-99");
		assertThat(tally.count(PiiType.CUSTOM)).isEqualTo(2);
		assertThat(custom.types()).containsExactly(PiiType.CUSTOM);
	}

	@Test
	void refusesBadCustomEntries() {
		assertThatIllegalArgumentException().isThrownBy(() -> Redactor.of(Set.of(), List.of("/(unclosed/")));
		assertThatIllegalArgumentException().isThrownBy(() -> Redactor.of(Set.of(), List.of(" ")));
		assertThatIllegalArgumentException().isThrownBy(() -> Redactor.of(Set.of(), List.of("x".repeat(257))));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Redactor.of(Set.of(), java.util.Collections.nCopies(33, "term")));
	}

	@Test
	void prefersTheLongerOfOverlappingMatches() {
		// the JWT's payload holds what looks like a phone number; the whole token is
		// masked once
		RedactionTally tally = new RedactionTally();
		String text = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig12345";
		assertThat(ALL.redact(text, tally)).isIn("Bearer ****", "Bearer eyJ****");
		assertThat(tally.total()).isEqualTo(1);
	}

	@Test
	void readsWireNamesAndAliases() {
		assertThat(PiiType.fromWireName("Credit-Card")).contains(PiiType.CREDIT_CARD);
		assertThat(PiiType.fromWireName("ssn")).contains(PiiType.US_SSN);
		assertThat(PiiType.fromWireName("ipv6")).contains(PiiType.IP_ADDRESS);
		assertThat(PiiType.fromWireName("shoe_size")).isEmpty();
	}

	/** Formats and providers beyond the first set: one per line of the list. */
	static Stream<Arguments> moreTruePositives() {
		return Stream.of(Arguments.of(PiiType.EMAIL, "Mail john@company.com.", "Mail j***@co***ny.com."),
				Arguments.of(PiiType.EMAIL, "(JOHN.DOE@Company.COM)", "(JO****OE@Co***ny.COM)"),
				Arguments.of(PiiType.PHONE, "call +33 1 23 45 67 89", "call +33 * ** ** ** 89"),
				Arguments.of(PiiType.PHONE, "call +44 (0)20 7946 0958", "call +44 (*)** **** **58"),
				Arguments.of(PiiType.PHONE, "call +81 3-1234-5678", "call +81 *-****-**78"),
				Arguments.of(PiiType.PHONE, "tel:+14155550132", "tel:+14*******32"),
				Arguments.of(PiiType.PHONE, "fax 415.555.0132", "fax ***.***.**32"),
				Arguments.of(PiiType.IP_ADDRESS, "at 10.0.12.7.", "at 10.*.**.7."),
				Arguments.of(PiiType.IP_ADDRESS, "host 2001:db8::ff00:42:8329", "host 2001:***::****:**:8329"),
				Arguments.of(PiiType.UUID, "id 123E4567-E89B-12D3-A456-426614174000",
						"id 123E****-****-****-****-********4000"),
				Arguments.of(PiiType.SECRET, "Authorization: BEARER abcdef0123456789abcdef",
						"Authorization: BEARER ****"),
				Arguments.of(PiiType.SECRET, "\"authorization\":\"bearer abcdef0123456789abcdef\"",
						"\"authorization\":\"bearer ****\""),
				Arguments.of(PiiType.SECRET, "key sk-ant-api03-AbC_dEf-123456789012345678901234567890",
						"key sk-ant-****"),
				Arguments.of(PiiType.SECRET, "tok tg-abcdefghijklmnopqrstuvwxyz012345", "tok tg-****"),
				Arguments.of(PiiType.SECRET, "key rk_live_abcdefghijklmnop1234", "key rk_live_****"),
				Arguments.of(PiiType.SECRET,
						"key github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP",
						"key gith****"),
				Arguments.of(PiiType.SECRET, "slack xoxp-1234567890-1234567890-abcdefabcdef", "slack xoxp-****"),
				Arguments.of(PiiType.SECRET, "sts ASIAIOSFODNN7EXAMPLE", "sts ASIA****"),
				Arguments.of(PiiType.SECRET,
						"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
						"-----BEGIN PRIVATE KEY-----****"),
				Arguments.of(PiiType.SECRET,
						"-----BEGIN EC PRIVATE KEY-----\r\nMHcCAQEEIB\r\n-----END EC PRIVATE KEY-----",
						"-----BEGIN PRIVATE KEY-----****"),
				Arguments.of(PiiType.CREDIT_CARD, "visa 4222222222222", "visa 42**********2"),
				Arguments.of(PiiType.CREDIT_CARD, "card 4111-1111-1111-1111", "card 41**-****-****-***1"),
				Arguments.of(PiiType.IBAN, "FR14 2004 1010 0505 0001 3M02 606", "FR** **** **** **** **** **** *06"),
				Arguments.of(PiiType.US_SSN, "ssn 078-05-1120.", "ssn ***-**-**20."),
				Arguments.of(PiiType.MAC_ADDRESS, "nic 00:1a:2b:3c:4d:5e", "nic 00:**:**:**:**:5e"));
	}

	@ParameterizedTest
	@MethodSource("moreTruePositives")
	void masksMoreFormatsOfEachKind(PiiType type, String text, String masked) {
		masksEachKindKeepingAHint(type, text, masked);
	}

	/** Look-alikes that fail a checksum, a length or a shape by one step. */
	static Stream<String> moreNearMisses() {
		return Stream.of("IBAN DE89370400440532013001", // mod 97 fails by one digit
				"amex 378282246310006", // Luhn fails by one digit
				"card 4111 1111 1111 111", // 15 digits, Luhn fails
				"ip 256.1.1.1", "version 10.0.12", "2026-11-25T18:01:28.123Z", "12:30:45.123",
				"mac 00:1A:2B:3C:4D:5E:6F", "mac 00:1A-2B:3C:4D:5E", "uuid 123e4567e89b12d3a456426614174000",
				"call +1 23", "sk-ant-short", "xoxb-short", "ghp_short", "AIzaShort", "eyJhbGciOiJIUzI1NiJ9.notajwt",
				"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
	}

	@ParameterizedTest
	@MethodSource("moreNearMisses")
	void leavesMoreLookAlikesAlone(String text) {
		leavesLookAlikesAlone(text);
	}

	@Test
	void refusesCustomPatternsThatWouldCompileToHugePrograms() {
		// linear in the text, but a million-instruction program would be linear with a
		// huge constant, and take half a second to compile
		for (String pattern : List.of("/((a{100}){100}){100}/", "/(x{1000}){1000}/", "/[a-z]{1000}/",
				"/(((ab{10}){10}){10}){10}/")) {
			assertThatIllegalArgumentException().as(pattern)
				.isThrownBy(() -> Redactor.of(Set.of(), List.of(pattern)))
				.withMessageContaining("repeats too much");
		}
		Redactor ordinary = Redactor.of(Set.of(), List.of("/(?i)project[- ]falcon/", "/[A-Z]{2}-\\d{4,6}/"));
		assertThat(ordinary.redact("PROJECT-FALCON and AB-12345", new RedactionTally()))
			.isEqualTo("P************* and A*******");
	}

	@Test
	void masksTheSameValueTheSameWayAcrossKindsAndDetectors() {
		String text = "jo@example.com 4111 1111 1111 1111 jo@example.com 4111 1111 1111 1111";
		assertThat(ALL.redact(text, new RedactionTally()))
			.isEqualTo("j*@ex***le.com 41** **** **** ***1 j*@ex***le.com 41** **** **** ***1");
	}

}
