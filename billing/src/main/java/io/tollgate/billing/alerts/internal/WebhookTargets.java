package io.tollgate.billing.alerts.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.tollgate.billing.alerts.AlertProperties;

/**
 * Where a tenant's webhooks may go (a defence against server-side request forgery): an
 * {@code https} URL ({@code http} only when the operator allows it), without credentials,
 * whose host is not an internal address — loopback, private, link-local (cloud metadata
 * included), unspecified, multicast, shared (CGNAT) or reserved, in IPv4 or IPv6 and in
 * the IPv6 forms that embed an IPv4 address. An IPv4 address must be spelled as four
 * decimal numbers: the decimal, octal and hexadecimal spellings some resolvers accept are
 * refused. A name is checked again against every address it resolves to, each time a
 * delivery connects. Hosts and address ranges the operator lists in {@code allowed-hosts}
 * are exempt from the address rules.
 */
public final class WebhookTargets {

	private static final Pattern NUMERIC_LABEL = Pattern.compile("(0[xX][0-9a-fA-F]*|[0-9]+)");

	private static final Pattern DOTTED_QUAD = Pattern
		.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

	private final boolean allowHttp;

	private final List<String> allowedNames = new ArrayList<>();

	private final List<Range> allowedRanges = new ArrayList<>();

	private final Lookup lookup;

	public WebhookTargets(AlertProperties.TenantWebhooks properties) {
		this(properties, InetAddress::getAllByName);
	}

	/**
	 * A policy resolving names with the given lookup.
	 * @param properties what the operator allows
	 * @param lookup resolves a host name to its addresses
	 */
	public WebhookTargets(AlertProperties.TenantWebhooks properties, Lookup lookup) {
		this.allowHttp = properties.allowHttp();
		this.lookup = lookup;
		for (String entry : properties.allowedHosts()) {
			String value = entry.strip().toLowerCase(Locale.ROOT);
			if (value.isEmpty()) {
				continue;
			}
			Range range = Range.parse(value);
			if (range != null) {
				this.allowedRanges.add(range);
			}
			else {
				this.allowedNames.add(trimDot(value));
			}
		}
	}

	/**
	 * Checks a URL without resolving it: scheme, credentials, host, and the host itself
	 * when it is an address or a local name. Safe on any thread.
	 * @param url the URL
	 * @return the URL, parsed
	 * @throws Refused why it is refused
	 */
	public URI checkSyntax(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (Exception ex) {
			throw new Refused("the URL is not valid");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("https") && !(scheme.equals("http") && this.allowHttp)) {
			throw new Refused(this.allowHttp ? "the URL must be https or http" : "the URL must be https");
		}
		if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
			throw new Refused("the URL must not carry credentials");
		}
		String host = uri.getHost();
		if (host == null && uri.getRawAuthority() != null) {
			// java.net.URI reads no host in numeric spellings other parsers accept
			host = uri.getRawAuthority().replaceFirst(":[0-9]*$", "");
			if (host.isEmpty() || !isAddress(host)) {
				throw new Refused("the URL must name a valid host");
			}
		}
		if (host == null || host.isEmpty()) {
			throw new Refused("the URL must name a host");
		}
		String name = trimDot(host.toLowerCase(Locale.ROOT));
		if (this.allowedNames.contains(name)) {
			return uri;
		}
		if (name.startsWith("[")) {
			checkAddress(literal(name.substring(1, name.length() - 1)));
			return uri;
		}
		if (isAddress(name)) {
			InetAddress address = ipv4(name.split("\\.", -1));
			if (!DOTTED_QUAD.matcher(name).matches()) {
				checkAddress(address);
				throw new Refused("write an IPv4 address as four decimal numbers (" + address.getHostAddress() + ")");
			}
			checkAddress(address);
			return uri;
		}
		if (name.equals("localhost") || name.endsWith(".localhost")) {
			throw new Refused(host + " is a loopback name");
		}
		return uri;
	}

	/**
	 * Whether a host is an address rather than a name: an IPv6 literal, or (as URL
	 * parsers read it) anything whose last label is a number.
	 */
	static boolean isAddress(String host) {
		String name = trimDot(host);
		if (name.startsWith("[")) {
			return true;
		}
		return NUMERIC_LABEL.matcher(name.substring(name.lastIndexOf('.') + 1)).matches();
	}

	/**
	 * Checks a URL completely, resolving its host: blocks, so never on an event loop.
	 * @param url the URL
	 * @throws Refused why it is refused
	 */
	public void check(String url) {
		URI uri = checkSyntax(url);
		if (uri.getHost() != null && !isAddress(uri.getHost())) {
			resolve(uri.getHost());
		}
	}

	/**
	 * Resolves a host name and checks every address: blocks, so never on an event loop.
	 * @param host the name
	 * @return its addresses, all allowed
	 * @throws Refused when one of them is not allowed or the name does not resolve
	 */
	public InetAddress[] resolve(String host) {
		String name = trimDot(host.toLowerCase(Locale.ROOT));
		InetAddress[] addresses;
		try {
			addresses = this.lookup.resolve(name);
		}
		catch (UnknownHostException ex) {
			throw new Refused(host + " does not resolve");
		}
		if (this.allowedNames.contains(name)) {
			return addresses;
		}
		for (InetAddress address : addresses) {
			try {
				checkAddress(address);
			}
			catch (Refused ex) {
				throw new Refused(host + " resolves to " + ex.getMessage());
			}
		}
		return addresses;
	}

	/**
	 * Checks one address.
	 * @param address the address
	 * @throws Refused when it is internal and not allowed by the operator
	 */
	public void checkAddress(InetAddress address) {
		for (Range range : this.allowedRanges) {
			if (range.contains(address)) {
				return;
			}
		}
		String kind = internal(address);
		if (kind != null) {
			throw new Refused(address.getHostAddress() + ", a " + kind + " address");
		}
	}

	/**
	 * What kind of internal address this is, or {@code null} for a public one.
	 * @param address an address
	 * @return e.g. {@code loopback}, {@code private}, {@code link-local}
	 */
	static String internal(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address) {
			byte[] embedded = embeddedIpv4(bytes);
			if (embedded != null) {
				return internalIpv4(embedded);
			}
			return internalIpv6(bytes);
		}
		return internalIpv4(bytes);
	}

	private static String internalIpv4(byte[] b) {
		int a0 = b[0] & 0xff;
		int a1 = b[1] & 0xff;
		if (a0 == 0) {
			return "unspecified";
		}
		if (a0 == 127) {
			return "loopback";
		}
		if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
			return "private";
		}
		if (a0 == 169 && a1 == 254) {
			return "link-local";
		}
		if (a0 == 100 && a1 >= 64 && a1 <= 127) {
			return "shared (CGNAT)";
		}
		if (a0 >= 224 && a0 <= 239) {
			return "multicast";
		}
		if (a0 >= 240 || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) || (a0 == 198 && (a1 == 18 || a1 == 19))) {
			return "reserved";
		}
		return null;
	}

	private static String internalIpv6(byte[] b) {
		boolean zeroPrefix = true;
		for (int i = 0; i < 15; i++) {
			zeroPrefix &= b[i] == 0;
		}
		if (zeroPrefix && b[15] == 0) {
			return "unspecified";
		}
		if (zeroPrefix && b[15] == 1) {
			return "loopback";
		}
		int b0 = b[0] & 0xff;
		int b1 = b[1] & 0xff;
		if ((b0 & 0xfe) == 0xfc) {
			return "private";
		}
		if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
			return "link-local";
		}
		if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
			return "site-local";
		}
		if (b0 == 0xff) {
			return "multicast";
		}
		return null;
	}

	/**
	 * The IPv4 address inside an IPv6 one that carries it: mapped
	 * ({@code ::ffff:a.b.c.d}), compatible ({@code ::a.b.c.d}), NAT64
	 * ({@code 64:ff9b::a.b.c.d}) or 6to4 ({@code 2002:aabb:ccdd::}).
	 */
	private static byte[] embeddedIpv4(byte[] b) {
		boolean tenZero = true;
		for (int i = 0; i < 10; i++) {
			tenZero &= b[i] == 0;
		}
		boolean mapped = tenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
		boolean compatible = tenZero && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
		boolean nat64 = b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
		for (int i = 4; nat64 && i < 12; i++) {
			nat64 = b[i] == 0;
		}
		if (mapped || compatible || nat64) {
			return new byte[] { b[12], b[13], b[14], b[15] };
		}
		if (b[0] == 0x20 && b[1] == 0x02) {
			return new byte[] { b[2], b[3], b[4], b[5] };
		}
		return null;
	}

	/**
	 * An IPv4 address as a URL parser reads it: one to four parts, each decimal, octal
	 * (leading zero) or hexadecimal ({@code 0x}); the last part fills the remaining
	 * bytes.
	 */
	private static InetAddress ipv4(String[] labels) {
		if (labels.length > 4) {
			throw new Refused("the host is not a valid IPv4 address");
		}
		long[] parts = new long[labels.length];
		for (int i = 0; i < labels.length; i++) {
			String label = labels[i];
			try {
				if (label.startsWith("0x") || label.startsWith("0X")) {
					parts[i] = (label.length() == 2) ? 0 : Long.parseLong(label.substring(2), 16);
				}
				else if (label.length() > 1 && label.startsWith("0")) {
					parts[i] = Long.parseLong(label.substring(1), 8);
				}
				else {
					parts[i] = Long.parseLong(label);
				}
			}
			catch (NumberFormatException ex) {
				throw new Refused("the host is not a valid IPv4 address");
			}
		}
		long value = 0;
		for (int i = 0; i < parts.length - 1; i++) {
			if (parts[i] > 255) {
				throw new Refused("the host is not a valid IPv4 address");
			}
			value |= parts[i] << (8 * (3 - i));
		}
		long last = parts[parts.length - 1];
		if (last >= (1L << (8 * (5 - parts.length)))) {
			throw new Refused("the host is not a valid IPv4 address");
		}
		value |= last;
		byte[] bytes = { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static InetAddress literal(String ipv6) {
		if (ipv6.contains("%")) {
			throw new Refused("the host must not carry an IPv6 zone");
		}
		try {
			// an IPv6 literal only: never a lookup
			return InetAddress.getByName("[" + ipv6 + "]");
		}
		catch (UnknownHostException ex) {
			throw new Refused("the host is not a valid IPv6 address");
		}
	}

	private static String trimDot(String name) {
		return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
	}

	/** Resolves a host name to its addresses. */
	@FunctionalInterface
	public interface Lookup {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

	/** A target refused, with the reason; cheap to throw. */
	public static final class Refused extends RuntimeException {

		Refused(String reason) {
			super(reason, null, false, false);
		}

	}

	/** An address or a CIDR range the operator allows. */
	private record Range(byte[] network, int bits) {

		static Range parse(String value) {
			String address = value;
			int bits = -1;
			int slash = value.indexOf('/');
			if (slash > 0) {
				address = value.substring(0, slash);
				try {
					bits = Integer.parseInt(value.substring(slash + 1));
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
			boolean v4 = DOTTED_QUAD.matcher(address).matches();
			boolean v6 = address.contains(":");
			if (!v4 && !v6) {
				return null;
			}
			try {
				byte[] network = InetAddress
					.getByName(v6 ? "[" + address.replace("[", "").replace("]", "") + "]" : address)
					.getAddress();
				return new Range(network, (bits < 0) ? network.length * 8 : bits);
			}
			catch (UnknownHostException ex) {
				return null;
			}
		}

		boolean contains(InetAddress address) {
			byte[] candidate = address.getAddress();
			if (candidate.length != this.network.length) {
				candidate = (address instanceof Inet6Address) ? embeddedIpv4(candidate) : null;
				if (candidate == null || candidate.length != this.network.length) {
					return false;
				}
			}
			for (int bit = 0; bit < this.bits; bit++) {
				int mask = 0x80 >>> (bit % 8);
				if ((candidate[bit / 8] & mask) != (this.network[bit / 8] & mask)) {
					return false;
				}
			}
			return true;
		}

	}

}
