package io.tollgate.gateway.messages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.EventLoop;
import io.tollgate.billing.admission.Ticket;
import io.tollgate.billing.coordination.Permit;
import io.tollgate.billing.directory.AccountView;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.directory.KeyGrant;
import io.tollgate.gateway.observability.RequestObservation;
import io.tollgate.routing.convert.ConversionContext;
import io.tollgate.routing.redact.RedactionTally;
import io.tollgate.routing.request.MessagesRequestScanner;
import io.tollgate.routing.request.ScannedRequest;
import io.tollgate.routing.usage.TokenUsage;

/**
 * What one request has collected on its way through the pipeline: who sent it, what it
 * asks for, where it went, and the usage seen so far. Accounted exactly once.
 */
public final class GatewayRequest {

	private final String id;

	private final Instant startedAt = Instant.now();

	private final long startNanos = System.nanoTime();

	private final KeyGrant grant;

	private final GroupView group;

	private final AtomicBoolean accounted = new AtomicBoolean();

	private final List<Permit> permits = new ArrayList<>(3);

	private boolean permitsReleased;

	private ScannedRequest body;

	private String upstreamModel;

	private AccountView account;

	private ConversionContext conversion;

	private EventLoop eventLoop;

	private volatile TokenUsage usage = TokenUsage.ZERO;

	private volatile long firstTokenNanos;

	private final StreamedOutput streamed = new StreamedOutput();

	private volatile Ticket ticket;

	private volatile Runnable onAnswered;

	private volatile RequestObservation observation = RequestObservation.detached();

	private RedactionTally redactions;

	private volatile String upstreamRequestId;

	private String query;

	private boolean sent;

	private String routedModel;

	private volatile IntentReport intent;

	private volatile int failedWith;

	GatewayRequest(String id, KeyGrant grant, GroupView group) {
		this.id = id;
		this.grant = grant;
		this.group = group;
	}

	public String id() {
		return this.id;
	}

	public Instant startedAt() {
		return this.startedAt;
	}

	public KeyGrant grant() {
		return this.grant;
	}

	public GroupView group() {
		return this.group;
	}

	public ScannedRequest body() {
		return this.body;
	}

	void body(ScannedRequest body) {
		this.body = body;
	}

	public String requestedModel() {
		return this.body.model();
	}

	/**
	 * The model the request is routed as: the one intent routing or planning chose, else
	 * the requested one.
	 */
	public String routedModel() {
		return (this.routedModel != null) ? this.routedModel : this.body.model();
	}

	/**
	 * Routes the request as another model than the one it names; the response still
	 * echoes the requested one.
	 * @param model the model, or {@code null} for the requested one
	 */
	public void routedModel(String model) {
		this.routedModel = model;
	}

	/**
	 * Replaces the body with one intent planning or context optimisation rewrote; the
	 * requested model and the {@code gateway} object stay as they were.
	 * @param body the new body
	 */
	public void rewriteBody(byte[] body) {
		this.body = MessagesRequestScanner.scan(body, this.body.maxTokens() >= 0);
	}

	/**
	 * What intent routing, planning and context optimisation did, or {@code null} when
	 * none was asked for.
	 */
	public IntentReport intent() {
		return this.intent;
	}

	public void intent(IntentReport intent) {
		this.intent = intent;
	}

	/** The status of the error that ended the request before an answer, or 0. */
	int failedWith() {
		return this.failedWith;
	}

	void failedWith(int status) {
		this.failedWith = status;
	}

	/**
	 * A call Tollgate makes on the request's behalf (the router or the planner model):
	 * same tenant, key and group, its own id and body, a whole (non-streamed) answer.
	 * @param purpose what it is for, appended to the id
	 * @param body the Messages request to send
	 * @return the call, its body read
	 */
	public GatewayRequest internalCall(String purpose, byte[] body) {
		GatewayRequest call = new GatewayRequest(this.id + "-" + purpose, this.grant, this.group);
		call.eventLoop = this.eventLoop;
		call.body = MessagesRequestScanner.scan(body, true);
		return call;
	}

	public String upstreamModel() {
		return this.upstreamModel;
	}

	void upstreamModel(String model) {
		this.upstreamModel = model;
	}

	public AccountView account() {
		return this.account;
	}

	/** Notes the account an attempt is sent to. */
	public void account(AccountView account) {
		this.account = account;
	}

	/**
	 * What converting the request to the account's protocol noted for the way back, or
	 * {@code null}.
	 */
	public ConversionContext conversion() {
		return this.conversion;
	}

	public void conversion(ConversionContext conversion) {
		this.conversion = conversion;
	}

	/** The event loop of the client's connection, or {@code null} when unknown. */
	public EventLoop eventLoop() {
		return this.eventLoop;
	}

	void eventLoop(EventLoop eventLoop) {
		this.eventLoop = eventLoop;
	}

	public TokenUsage usage() {
		return this.usage;
	}

	public void usage(TokenUsage usage) {
		this.usage = usage;
	}

	/**
	 * Notes a generated token (each content event of a stream): the first one sets the
	 * time to first token, each one is an event for the stream's gap metrics.
	 */
	public void firstToken() {
		if (this.firstTokenNanos == 0) {
			this.firstTokenNanos = System.nanoTime();
		}
		this.observation.contentEvent();
	}

	/** Where the request's metrics, access log and spans are fed. */
	public RequestObservation observation() {
		return this.observation;
	}

	public void observation(RequestObservation observation) {
		this.observation = observation;
	}

	public long elapsedMillis() {
		return (System.nanoTime() - this.startNanos) / 1_000_000;
	}

	/** Time to the first token, or {@code null} when none came. */
	public Long timeToFirstTokenMillis() {
		long first = this.firstTokenNanos;
		return (first == 0) ? null : (first - this.startNanos) / 1_000_000;
	}

	/**
	 * Holds a permit until the request ends; a permit added after the end is released at
	 * once.
	 * @param permit the permit
	 */
	public void hold(Permit permit) {
		boolean late;
		synchronized (this.permits) {
			late = this.permitsReleased;
			if (!late) {
				this.permits.add(permit);
			}
		}
		if (late) {
			permit.release();
		}
	}

	/** Releases every permit the request holds; later calls do nothing. */
	public void releasePermits() {
		List<Permit> held;
		synchronized (this.permits) {
			this.permitsReleased = true;
			held = List.copyOf(this.permits);
			this.permits.clear();
		}
		held.forEach(Permit::release);
	}

	/** What a stream delivered to the client so far, for estimating a cut-off answer. */
	public StreamedOutput streamed() {
		return this.streamed;
	}

	/**
	 * Registers what to do as soon as a stream's whole answer is known, before its last
	 * event goes out: accounting then happens before the client can see the end.
	 * @param action the action
	 */
	public void whenAnswered(Runnable action) {
		this.onAnswered = action;
	}

	/** The whole answer is known: runs what {@link #whenAnswered} registered, once. */
	public void answered() {
		Runnable action = this.onAnswered;
		this.onAnswered = null;
		if (action != null) {
			action.run();
		}
	}

	/** What PII redaction masked in the request, or {@code null} when nothing. */
	public RedactionTally redactions() {
		return this.redactions;
	}

	void redactions(RedactionTally redactions) {
		this.redactions = redactions;
	}

	/** The id the upstream that answered gave the request, or {@code null}. */
	public String upstreamRequestId() {
		return this.upstreamRequestId;
	}

	public void upstreamRequestId(String id) {
		this.upstreamRequestId = id;
	}

	/** The client's raw query string, or {@code null}. */
	public String query() {
		return this.query;
	}

	void query(String query) {
		this.query = query;
	}

	/**
	 * Notes that the request is being sent upstream.
	 * @return true the first time only, false for the attempts of a failover
	 */
	public boolean firstSend() {
		boolean first = !this.sent;
		this.sent = true;
		return first;
	}

	/** What admission reserved for the request, or {@code null} when not admitted. */
	public Ticket ticket() {
		return this.ticket;
	}

	void ticket(Ticket ticket) {
		this.ticket = ticket;
	}

	/** Whether the request has been finished or abandoned. */
	boolean ended() {
		return this.accounted.get();
	}

	/** Claims the right to account this request; true exactly once. */
	boolean claimAccounting() {
		return this.accounted.compareAndSet(false, true);
	}

}
