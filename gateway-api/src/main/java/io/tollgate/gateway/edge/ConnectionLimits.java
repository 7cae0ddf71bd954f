package io.tollgate.gateway.edge;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open client connections, in total and per address, and refuses those beyond the
 * limits. Addresses of trusted proxies count only towards the total: every client behind
 * a load balancer shares its address.
 */
final class ConnectionLimits {

	/** Why a connection was refused. */
	enum Refusal {

		TOTAL, ADDRESS

	}

	private final int maxTotal;

	private final int maxPerAddress;

	private final List<Cidr> exempt;

	private final AtomicInteger open = new AtomicInteger();

	private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

	ConnectionLimits(int maxTotal, int maxPerAddress, List<Cidr> exempt) {
		this.maxTotal = maxTotal;
		this.maxPerAddress = maxPerAddress;
		this.exempt = exempt;
	}

	/**
	 * Counts a new connection, unless it is one too many.
	 * @param address the peer's address, or {@code null} when unknown
	 * @return {@code null} when it was counted (then {@link #closed} must follow), else
	 * why it was refused
	 */
	Refusal open(InetAddress address) {
		if (this.open.incrementAndGet() > this.maxTotal && this.maxTotal > 0) {
			this.open.decrementAndGet();
			return Refusal.TOTAL;
		}
		if (counted(address)) {
			boolean[] admitted = { true };
			this.perAddress.compute(address, (key, count) -> {
				int current = (count != null) ? count : 0;
				if (current >= this.maxPerAddress) {
					admitted[0] = false;
					return count;
				}
				return current + 1;
			});
			if (!admitted[0]) {
				this.open.decrementAndGet();
				return Refusal.ADDRESS;
			}
		}
		return null;
	}

	/**
	 * Uncounts a connection that {@link #open} counted.
	 * @param address the same address
	 */
	void closed(InetAddress address) {
		this.open.decrementAndGet();
		if (counted(address)) {
			this.perAddress.computeIfPresent(address, (key, count) -> (count > 1) ? count - 1 : null);
		}
	}

	/** Connections open now. */
	int open() {
		return this.open.get();
	}

	/** Addresses with a connection open now. */
	int addresses() {
		return this.perAddress.size();
	}

	private boolean counted(InetAddress address) {
		if (this.maxPerAddress <= 0 || address == null) {
			return false;
		}
		byte[] bytes = address.getAddress();
		for (Cidr cidr : this.exempt) {
			if (cidr.contains(bytes)) {
				return false;
			}
		}
		return true;
	}

}
