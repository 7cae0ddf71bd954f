package io.tollgate.billing.coordination.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tollgate.billing.coordination.Permit;
import io.tollgate.billing.coordination.PermitScope;
import io.tollgate.billing.coordination.Permits;
import reactor.core.publisher.Mono;

/**
 * Permits for a single node: counts in memory, all-or-none under one lock.
 */
public final class LocalPermits implements Permits {

	private final Map<String, Integer> held = new ConcurrentHashMap<>();

	@Override
	public Mono<Permit> tryAcquire(List<PermitScope> scopes) {
		return Mono.fromSupplier(() -> take(scopes));
	}

	private synchronized Permit take(List<PermitScope> scopes) {
		for (PermitScope scope : scopes) {
			if (this.held.getOrDefault(scope.name(), 0) >= scope.limit()) {
				return null;
			}
		}
		for (PermitScope scope : scopes) {
			this.held.merge(scope.name(), 1, Integer::sum);
		}
		AtomicBoolean released = new AtomicBoolean();
		return () -> {
			if (released.compareAndSet(false, true)) {
				give(scopes);
			}
		};
	}

	private synchronized void give(List<PermitScope> scopes) {
		for (PermitScope scope : scopes) {
			this.held.computeIfPresent(scope.name(), (name, count) -> (count <= 1) ? null : count - 1);
		}
	}

	@Override
	public int heldLocally(String scope) {
		return this.held.getOrDefault(scope, 0);
	}

}
