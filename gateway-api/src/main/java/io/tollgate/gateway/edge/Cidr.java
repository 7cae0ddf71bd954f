package io.tollgate.gateway.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a
 * bare address is a block of one. IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3})
 * match IPv4 blocks.
 */
public final class Cidr {

	private final byte[] network;

	private final int prefix;

	private Cidr(byte[] network, int prefix) {
		this.network = network;
		this.prefix = prefix;
	}

	/**
	 * Parses a block.
	 * @param text e.g. {@code 192.168.0.0/16}
	 * @return the block
	 * @throws IllegalArgumentException when it is not an address literal with an optional
	 * prefix length
	 */
	public static Cidr parse(String text) {
		String trimmed = text.trim();
		int slash = trimmed.indexOf('/');
		byte[] address = literal((slash < 0) ? trimmed : trimmed.substring(0, slash));
		int bits = address.length * 8;
		int prefix = (slash < 0) ? bits : Integer.parseInt(trimmed.substring(slash + 1));
		if (prefix < 0 || prefix > bits) {
			throw new IllegalArgumentException("Invalid prefix length in " + text);
		}
		return new Cidr(address, prefix);
	}

	/**
	 * Whether an address is in the block.
	 * @param address the address bytes (4 or 16)
	 * @return whether it matches
	 */
	public boolean contains(byte[] address) {
		if (address.length != this.network.length) {
			return false;
		}
		int full = this.prefix / 8;
		for (int i = 0; i < full; i++) {
			if (address[i] != this.network[i]) {
				return false;
			}
		}
		int rest = this.prefix % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xFF << (8 - rest)) & 0xFF;
		return (address[full] & mask) == (this.network[full] & mask);
	}

	/**
	 * The bytes of an IP address literal; never a name lookup.
	 * @param text an IPv4 or IPv6 literal (brackets allowed)
	 * @return 4 or 16 bytes; IPv4-mapped IPv6 addresses give 4
	 * @throws IllegalArgumentException when it is not an address literal
	 */
	public static byte[] literal(String text) {
		String address = text.trim();
		if (address.startsWith("[") && address.endsWith("]")) {
			address = address.substring(1, address.length() - 1);
		}
		boolean ipv6 = address.indexOf(':') >= 0;
		if (address.isEmpty() || (!ipv6 && !address.matches("[0-9.]+"))
				|| (ipv6 && !address.matches("[0-9a-fA-F:.]+"))) {
			throw new IllegalArgumentException("Not an IP address: " + text);
		}
		try {
			// a literal: InetAddress does not resolve it
			return InetAddress.getByName(address).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Not an IP address: " + text, ex);
		}
	}

	@Override
	public String toString() {
		try {
			return InetAddress.getByAddress(this.network).getHostAddress() + "/" + this.prefix;
		}
		catch (UnknownHostException ex) {
			return "?/" + this.prefix;
		}
	}

}
