package io.tollgate.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tollgate.billing.directory.AccountView;
import io.tollgate.gateway.forward.UpstreamFailure;
import io.tollgate.gateway.forward.UpstreamResponse;
import io.tollgate.gateway.messages.RoutePlanner.Candidate;

/**
 * One try of one account for a request. Whatever happens to it is reported once: the
 * upstream answered, answered with an error, could not be reached, or the client left
 * first. A failed attempt gives its account back before the next one starts.
 */
public final class Attempt {

	private static final Pattern ERROR_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([a-z_]+_error)\"");

	private final Route route;

	private final Candidate candidate;

	private final AccountHealthTracker.AccountState state;

	private final AccountLease lease;

	private final long startNanos = System.nanoTime();

	private final AtomicBoolean settled = new AtomicBoolean();

	Attempt(Route route, Candidate candidate, AccountHealthTracker.AccountState state, AccountLease lease) {
		this.route = route;
		this.candidate = candidate;
		this.state = state;
		this.lease = lease;
	}

	public Candidate candidate() {
		return this.candidate;
	}

	public AccountView account() {
		return this.candidate.account();
	}

	/**
	 * The upstream answered successfully: the breaker counts a success and the
	 * conversation is bound to this account. The lease stays with the request until its
	 * response ends.
	 */
	public void succeeded() {
		if (settle()) {
			this.state.breaker.onSuccess(elapsed(), TimeUnit.NANOSECONDS);
			this.route.served(account());
		}
	}

	/**
	 * The upstream answered with an error: 429 and 529 (and a 503 naming a retry time)
	 * put the account in cooldown, other failures worth another account count against its
	 * breaker, errors of the request itself count as a success of the account.
	 * @param response the error response
	 * @param failure what the client would get
	 */
	public void failed(UpstreamResponse response, UpstreamFailure failure) {
		if (!settle()) {
			return;
		}
		release();
		int status = response.status();
		String error = (failure.detail() != null) ? failure.detail() : describe(status, failure.body());
		if (status == 429 || status == 529 || (status == 503 && response.header("retry-after") != null)) {
			this.state.breaker.releasePermission();
			this.route.health().throttled(account(), status, lowerCased(response), error);
		}
		else if (failure.worthRetryingElsewhere()) {
			this.route.health().failed(this.state, error, elapsed());
		}
		else {
			this.state.breaker.onSuccess(elapsed(), TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * The upstream could not be reached or did not answer in time.
	 * @param failure the failure, carrying Tollgate's own error
	 */
	public void unreachable(UpstreamFailure failure) {
		if (settle()) {
			release();
			String message = (failure.detail() != null) ? failure.detail()
					: (failure.error() != null) ? failure.error().getMessage() : "unreachable";
			this.route.health().failed(this.state, message, elapsed());
		}
	}

	/** The client went away before the upstream answered. */
	public void abandon() {
		if (settle()) {
			release();
			this.state.breaker.releasePermission();
		}
	}

	private void release() {
		if (this.lease != null) {
			this.lease.release();
		}
	}

	private boolean settle() {
		return this.settled.compareAndSet(false, true);
	}

	private long elapsed() {
		return System.nanoTime() - this.startNanos;
	}

	private static Map<String, String> lowerCased(UpstreamResponse response) {
		Map<String, String> headers = new HashMap<>();
		response.headers().forEach((entry) -> headers.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue()));
		return headers;
	}

	/** The status and the error type, never the message: it may quote a credential. */
	static String describe(int status, byte[] body) {
		String type = null;
		if (body != null) {
			Matcher matcher = ERROR_TYPE
				.matcher(new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8));
			if (matcher.find()) {
				type = matcher.group(1);
			}
		}
		return "HTTP " + status + ((type != null) ? " " + type : "");
	}

}
