package io.tollgate.billing.alerts.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

/**
 * Resolves the hosts of tenants' webhooks for the HTTP client and checks every address
 * before it is connected to, so a name that resolved to a public address when it was
 * saved cannot be made to point inside (DNS rebinding): the client connects only to an
 * address that was checked. Lookups block, so they run on the given executor, never on
 * the event loop.
 */
final class CheckedResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final WebhookTargets targets;

	private final Executor lookups;

	CheckedResolverGroup(WebhookTargets targets, Executor lookups) {
		this.targets = targets;
		this.lookups = lookups;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new InetSocketAddressResolver(executor, new CheckedNameResolver(executor));
	}

	private final class CheckedNameResolver extends InetNameResolver {

		CheckedNameResolver(EventExecutor executor) {
			super(executor);
		}

		@Override
		protected void doResolve(String host, Promise<InetAddress> promise) {
			lookup(host, promise, (addresses) -> addresses[0]);
		}

		@Override
		protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
			lookup(host, promise, List::of);
		}

		private <T> void lookup(String host, Promise<T> promise, java.util.function.Function<InetAddress[], T> result) {
			CheckedResolverGroup.this.lookups.execute(() -> {
				try {
					promise.trySuccess(result.apply(CheckedResolverGroup.this.targets.resolve(host)));
				}
				catch (RuntimeException ex) {
					promise.tryFailure(ex);
				}
			});
		}

	}

}
