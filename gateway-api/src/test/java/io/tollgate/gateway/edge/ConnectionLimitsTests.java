package io.tollgate.gateway.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimitsTests {

	private static InetAddress address(String literal) throws UnknownHostException {
		return InetAddress.getByName(literal);
	}

	@Test
	void refusesBeyondThePerAddressLimitAndFreesThePlaceOnClose() throws UnknownHostException {
		ConnectionLimits limits = new ConnectionLimits(10, 2, List.of());
		InetAddress a = address("10.0.0.1");
		assertThat(limits.open(a)).isNull();
		assertThat(limits.open(a)).isNull();
		assertThat(limits.open(a)).isEqualTo(ConnectionLimits.Refusal.ADDRESS);
		assertThat(limits.open(address("10.0.0.2"))).isNull();
		assertThat(limits.open()).isEqualTo(3);
		limits.closed(a);
		assertThat(limits.open(a)).isNull();
	}

	@Test
	void refusesBeyondTheTotalLimit() throws UnknownHostException {
		ConnectionLimits limits = new ConnectionLimits(2, 0, List.of());
		assertThat(limits.open(address("10.0.0.1"))).isNull();
		assertThat(limits.open(address("10.0.0.2"))).isNull();
		assertThat(limits.open(address("10.0.0.3"))).isEqualTo(ConnectionLimits.Refusal.TOTAL);
		assertThat(limits.open()).isEqualTo(2);
	}

	@Test
	void trustedProxiesCountOnlyTowardsTheTotal() throws UnknownHostException {
		ConnectionLimits limits = new ConnectionLimits(3, 1, List.of(Cidr.parse("10.1.0.0/16")));
		InetAddress proxy = address("10.1.2.3");
		assertThat(limits.open(proxy)).isNull();
		assertThat(limits.open(proxy)).isNull();
		assertThat(limits.open(proxy)).isNull();
		assertThat(limits.open(proxy)).isEqualTo(ConnectionLimits.Refusal.TOTAL);
		assertThat(limits.addresses()).isZero();
	}

	@Test
	void forgetsAnAddressWhoseLastConnectionClosed() throws UnknownHostException {
		ConnectionLimits limits = new ConnectionLimits(0, 5, List.of());
		InetAddress a = address("2001:db8::1");
		limits.open(a);
		limits.open(a);
		assertThat(limits.addresses()).isEqualTo(1);
		limits.closed(a);
		limits.closed(a);
		assertThat(limits.addresses()).isZero();
		assertThat(limits.open()).isZero();
	}

}
