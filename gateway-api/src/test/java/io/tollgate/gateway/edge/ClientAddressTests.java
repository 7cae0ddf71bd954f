package io.tollgate.gateway.edge;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientAddressTests {

	@Test
	void blocksMatchIpv4AndIpv6() {
		assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("10.200.3.4"))).isTrue();
		assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("11.0.0.1"))).isFalse();
		assertThat(Cidr.parse("192.168.1.128/25").contains(Cidr.literal("192.168.1.200"))).isTrue();
		assertThat(Cidr.parse("192.168.1.128/25").contains(Cidr.literal("192.168.1.127"))).isFalse();
		assertThat(Cidr.parse("203.0.113.7").contains(Cidr.literal("203.0.113.7"))).isTrue();
		assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("2001:db8:ffff::1"))).isTrue();
		assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("2001:db9::1"))).isFalse();
		assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("10.0.0.1"))).isFalse();
		assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("::ffff:10.1.2.3"))).as("IPv4-mapped").isTrue();
		assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.literal("8.8.8.8"))).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("example.com/8"));
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.0.0.0/33"));
	}

	@Test
	void forwardedForIsBelievedOnlyFromTrustedProxies() {
		ClientAddress resolver = new ClientAddress(new ClientAddressProperties(List.of("10.0.0.0/8", "fd00::/8")));
		HttpHeaders headers = new HttpHeaders();
		headers.add("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.7");
		assertThat(resolver.of(new InetSocketAddress("10.0.0.2", 1234), headers))
			.as("rightmost untrusted hop; the forged leftmost is ignored")
			.isEqualTo(Cidr.literal("203.0.113.9"));
		assertThat(resolver.of(new InetSocketAddress("198.51.100.1", 1234), headers))
			.as("an untrusted peer's header is ignored")
			.isEqualTo(Cidr.literal("198.51.100.1"));
		HttpHeaders v6 = new HttpHeaders();
		v6.add("x-forwarded-for", "2001:db8::5");
		assertThat(resolver.of(new InetSocketAddress("fd00::1", 1234), v6)).isEqualTo(Cidr.literal("2001:db8::5"));
		ClientAddress untrusting = new ClientAddress(new ClientAddressProperties(List.of()));
		assertThat(untrusting.of(new InetSocketAddress("10.0.0.2", 1234), headers)).isEqualTo(Cidr.literal("10.0.0.2"));
	}

}
