package io.tollgate.gateway.edge;

import java.net.InetSocketAddress;
import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Finds the address a request came from. The connection's peer is the client, unless the
 * peer is a configured trusted proxy: then {@code X-Forwarded-For} is read from the right
 * (the entry the nearest proxy appended), skipping further trusted proxies, and the first
 * address not among them is the client. A client cannot forge its address by sending the
 * header itself, since only entries appended by trusted proxies are believed.
 */
@Component
@EnableConfigurationProperties(ClientAddressProperties.class)
public class ClientAddress {

	private final List<Cidr> trusted;

	public ClientAddress(ClientAddressProperties properties) {
		this.trusted = properties.trustedProxies().stream().map(Cidr::parse).toList();
	}

	/**
	 * The client's address.
	 * @param peer the connection's remote address, or {@code null} when unknown
	 * @param headers the request headers
	 * @return the address bytes (4 or 16), or {@code null} when unknown
	 */
	public byte[] of(InetSocketAddress peer, HttpHeaders headers) {
		byte[] address = (peer != null && peer.getAddress() != null) ? normalise(peer.getAddress().getAddress()) : null;
		if (address == null || !isTrusted(address)) {
			return address;
		}
		List<String> forwarded = headers.getOrEmpty("x-forwarded-for");
		for (int h = forwarded.size() - 1; h >= 0; h--) {
			String[] hops = forwarded.get(h).split(",");
			for (int i = hops.length - 1; i >= 0; i--) {
				String hop = hops[i].trim();
				if (hop.isEmpty()) {
					continue;
				}
				byte[] hopAddress;
				try {
					hopAddress = Cidr.literal(hop);
				}
				catch (IllegalArgumentException ex) {
					// garbage from beyond the trusted proxies: the last address we can
					// vouch for
					return address;
				}
				address = hopAddress;
				if (!isTrusted(address)) {
					return address;
				}
			}
		}
		return address;
	}

	private boolean isTrusted(byte[] address) {
		for (Cidr cidr : this.trusted) {
			if (cidr.contains(address)) {
				return true;
			}
		}
		return false;
	}

	private static byte[] normalise(byte[] address) {
		if (address.length == 16) {
			boolean mapped = address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
			for (int i = 0; i < 10 && mapped; i++) {
				mapped = address[i] == 0;
			}
			if (mapped) {
				return new byte[] { address[12], address[13], address[14], address[15] };
			}
		}
		return address;
	}

}
