package io.tollgate.gateway.observability;

import io.tollgate.gateway.error.GatewayException;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.price.Cost;
import io.tollgate.billing.price.TokenCounts;
import io.tollgate.billing.usage.Outcome;
import io.tollgate.gateway.forward.UpstreamResponse;
import io.tollgate.gateway.messages.GatewayRequest;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * What the observability of one request collects while the pipeline runs, and reports
 * once, when both the exchange and its accounting have ended (a stream the client
 * cancelled is accounted after the exchange ends, a whole answer before). The pipeline
 * feeds it through a few calls on {@link GatewayRequest#observation()}; a request that is
 * not observed gets a detached instance whose calls do nothing.
 */
public final class RequestObservation {

	static final String ATTRIBUTE = RequestObservation.class.getName();

	private static final RequestObservation DETACHED = new RequestObservation(null, null, null, null);

	private final Observations hub;

	private final String requestId;

	private final String endpoint;

	private final long startNanos = System.nanoTime();

	/** The exchange, and the accounting once expected: reported when both ended. */
	private final AtomicInteger pending = new AtomicInteger(1);

	private final Span span;

	private volatile GatewayRequest request;

	private volatile boolean accountingExpected;

	private volatile int attempts;

	private volatile String upstreamRequestId;

	private volatile String refusal;

	private volatile Outcome outcome;

	private volatile TokenCounts tokens;

	private volatile Cost cost;

	private volatile boolean estimated;

	private volatile int status;

	private volatile boolean cancelled;

	private volatile byte[] clientAddress;

	private volatile Span attemptSpan;

	private volatile Span accountingSpan;

	// touched only by the stream's relay, one event at a time
	private long lastEventNanos;

	private Timer gapTimer;

	RequestObservation(Observations hub, String requestId, String endpoint, Span span) {
		this.hub = hub;
		this.requestId = requestId;
		this.endpoint = endpoint;
		this.span = span;
	}

	/** The observation of an exchange, or a detached one. */
	public static RequestObservation of(ServerWebExchange exchange) {
		RequestObservation observation = exchange.getAttribute(ATTRIBUTE);
		return (observation != null) ? observation : DETACHED;
	}

	/** An observation whose calls do nothing. */
	public static RequestObservation detached() {
		return DETACHED;
	}

	/**
	 * Ties the request's pipeline state to this observation.
	 * @param request the authenticated request
	 */
	public void attach(GatewayRequest request) {
		if (this.hub != null) {
			this.request = request;
			request.observation(this);
		}
	}

	/**
	 * The request was planned and goes to admission: it will be finished or abandoned by
	 * accounting, exactly once.
	 */
	public void expectAccounting() {
		if (this.hub != null && !this.accountingExpected) {
			this.accountingExpected = true;
			this.pending.incrementAndGet();
			this.hub.inFlight(this.request, 1);
		}
	}

	/**
	 * Wraps admission in its span.
	 * @param admission the admission
	 * @return the same, observed
	 */
	public Mono<Void> admission(Mono<Void> admission) {
		if (this.span == null) {
			return admission;
		}
		return Mono.defer(() -> {
			Span child = this.hub.tracing().child(this.span, "tollgate.admission");
			return admission.doOnError((ex) -> child.error(ex)).doFinally((signal) -> child.end());
		});
	}

	/**
	 * Admission refused the request.
	 * @param reason why, e.g. {@code rate_limited}
	 */
	public void refused(String reason) {
		if (this.hub != null) {
			this.refusal = reason.toLowerCase(Locale.ROOT);
		}
	}

	/**
	 * Observes one upstream attempt: counts it, keeps the upstream's request id, and
	 * gives it a span.
	 * @param send the attempt's call, up to the response head
	 * @return the same, observed
	 */
	public Mono<UpstreamResponse> attempt(Mono<UpstreamResponse> send) {
		if (this.hub == null) {
			return send;
		}
		this.attempts++;
		Span child = (this.span != null) ? this.hub.tracing().child(this.span, "tollgate.upstream.attempt") : null;
		if (child != null) {
			AccountView account = this.request.account();
			if (account != null) {
				child.tag("tollgate.account", account.name());
			}
			child.tag("tollgate.attempt", Integer.toString(this.attempts));
			this.attemptSpan = child;
		}
		return send.doOnNext((response) -> {
			String id = response.header("request-id");
			if (id == null) {
				id = response.header("x-request-id");
			}
			if (id != null) {
				this.upstreamRequestId = id;
			}
			if (child != null) {
				child.tag("http.response.status_code", Integer.toString(response.status()));
			}
		}).doOnError((ex) -> {
			if (child != null) {
				child.error(ex);
			}
		}).doFinally((signal) -> {
			if (child != null) {
				child.end();
			}
		});
	}

	/**
	 * Adds the W3C trace context of the current attempt to an upstream call's headers,
	 * when configured to.
	 * @param headers sets one header
	 */
	public void propagate(BiConsumer<String, String> headers) {
		Span attempt = this.attemptSpan;
		if (attempt != null) {
			this.hub.tracing().inject(attempt, headers);
		}
	}

	/** A content event of the answer was relayed: the gap since the last one counts. */
	public void contentEvent() {
		if (this.hub == null) {
			return;
		}
		long now = System.nanoTime();
		long last = this.lastEventNanos;
		this.lastEventNanos = now;
		if (last == 0) {
			return;
		}
		Timer timer = this.gapTimer;
		if (timer == null) {
			GatewayRequest request = this.request;
			AccountView account = request.account();
			timer = this.hub.metrics()
				.gapTimer((account != null) ? account.platform().id() : request.group().platform().id(),
						(account != null) ? account.name() : null, request.upstreamModel());
			this.gapTimer = timer;
		}
		timer.record(now - last, TimeUnit.NANOSECONDS);
	}

	/** Accounting of the request starts. */
	public void accounting() {
		if (this.span != null) {
			this.accountingSpan = this.hub.tracing().child(this.span, "tollgate.accounting");
		}
	}

	/**
	 * Accounting finished the request.
	 * @param outcome how it ended
	 * @param status the status the client got
	 * @param tokens the tokens billed
	 * @param cost what they cost
	 * @param estimated whether some tokens were estimated
	 */
	public void accounted(Outcome outcome, int status, TokenCounts tokens, Cost cost, boolean estimated) {
		if (this.hub == null) {
			return;
		}
		this.outcome = outcome;
		this.tokens = tokens;
		this.cost = cost;
		this.estimated = estimated;
		if (this.status == 0) {
			this.status = status;
		}
		accountingEnded();
	}

	/** Accounting ended the request without recording it (it never reached an answer). */
	public void abandoned() {
		if (this.hub != null) {
			accountingEnded();
		}
	}

	private void accountingEnded() {
		Span accounting = this.accountingSpan;
		if (accounting != null) {
			accounting.end();
		}
		if (this.accountingExpected) {
			this.hub.inFlight(this.request, -1);
			done();
		}
	}

	/** The exchange ended: its response was written, failed, or the client left. */
	void exchangeEnded(int status, boolean cancelled, byte[] clientAddress) {
		if (status != 0) {
			this.status = status;
		}
		this.cancelled = cancelled;
		this.clientAddress = clientAddress;
		done();
	}

	private void done() {
		if (this.pending.decrementAndGet() == 0) {
			this.hub.finished(this);
		}
	}

	Span span() {
		return this.span;
	}

	/** The finished request, once both ends are in. */
	FinishedRequest finish() {
		long latency = System.nanoTime() - this.startNanos;
		GatewayRequest request = this.request;
		int status = this.status;
		if (status == 0 && this.cancelled) {
			status = 499;
		}
		String outcome = outcome(status);
		String errorType = (!"ok".equals(outcome) && !"client_cancelled".equals(outcome)) ? errorType(status) : null;
		String traceId = (this.span != null) ? this.span.context().traceId() : null;
		if (this.span != null) {
			this.span.tag("http.response.status_code", Integer.toString(status));
			this.span.tag("tollgate.outcome", outcome);
		}
		if (request == null) {
			return new FinishedRequest(this.requestId, this.endpoint, traceId, null, null, null, null, null, null, null,
					null, null, null, status, outcome, errorType, this.refusal, this.attempts, null, false, null, null,
					latency, -1, this.clientAddress);
		}
		AccountView account = request.account();
		Long ttft = request.timeToFirstTokenMillis();
		Cost cost = this.cost;
		return new FinishedRequest(this.requestId, this.endpoint, traceId, this.upstreamRequestId,
				request.grant().tenant().name(), request.grant().displayPrefix(), request.grant().name(),
				request.group().name(), (request.body() != null) ? request.body().model() : null,
				request.upstreamModel(), (account != null) ? account.name() : null,
				(account != null) ? account.platform().id() : request.group().platform().id(),
				(request.body() != null) ? request.body().stream() : null, status, outcome, errorType, this.refusal,
				this.attempts, this.tokens, this.estimated, (cost != null) ? cost.listCost() : null,
				(cost != null) ? cost.charged() : null, latency,
				(ttft != null) ? TimeUnit.MILLISECONDS.toNanos(ttft) : -1, this.clientAddress, request.intent());
	}

	private String outcome(int status) {
		Outcome accounted = this.outcome;
		if (accounted != null) {
			return accounted.id();
		}
		if (this.cancelled) {
			return "client_cancelled";
		}
		if (status >= 200 && status < 400) {
			return "ok";
		}
		return (status >= 500) ? "gateway_error" : "rejected";
	}

	/** Anthropic's error type for a status, as the SDKs map them. */
	static String errorType(int status) {
		return GatewayException.errorType(status);
	}

}
