package io.tollgate.billing.alerts.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.tollgate.billing.alerts.AlertProperties;
import io.tollgate.billing.alerts.WebhookSignature;
import io.tollgate.billing.crypto.CredentialCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The delivery worker: every poll it takes the deliveries that are due, posts each one
 * signed, and records the outcome; a failure is retried with exponential backoff until
 * the attempts are used up. It runs on a thread of its own, never on a request's.
 */
public class AlertDispatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AlertDispatcher.class);

	private final AlertOutbox outbox;

	private final CredentialCipher cipher;

	private final AlertProperties properties;

	private final HttpClient http;

	private final String node;

	private final Scheduler scheduler = Schedulers.newSingle("tollgate-alerts", true);

	private Disposable polling;

	public AlertDispatcher(AlertOutbox outbox, CredentialCipher cipher, AlertProperties properties) {
		this.outbox = outbox;
		this.cipher = cipher;
		this.properties = properties;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.requestTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		String host = System.getenv("HOSTNAME");
		this.node = ((host != null && !host.isBlank()) ? host : "node") + "-"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

	/** Starts polling. */
	public void start() {
		this.polling = Flux.interval(this.properties.pollInterval(), this.properties.pollInterval(), this.scheduler)
			.onBackpressureDrop()
			.concatMap((tick) -> dispatchDue().onErrorResume((ex) -> {
				logger.warn("Delivering alerts failed; will retry: {}", ex.toString());
				return Mono.empty();
			}))
			.subscribe();
	}

	/**
	 * Delivers what is due now, once.
	 * @return how many deliveries were attempted
	 */
	public Mono<Integer> dispatchDue() {
		return this.outbox.claim(this.node, this.properties.batchSize(), this.properties.claimLease())
			.flatMapMany(Flux::fromIterable)
			.flatMap((claimed) -> deliver(claimed).thenReturn(claimed.id()), 4)
			.count()
			.map(Long::intValue);
	}

	/**
	 * Delivers what is due now, without waiting for the next poll, on a node that
	 * delivers.
	 */
	public void nudge() {
		if (!this.properties.enabled()) {
			return;
		}
		dispatchDue().subscribeOn(this.scheduler)
			.subscribe(null, (ex) -> logger.warn("Delivering alerts failed; will retry: {}", ex.toString()));
	}

	private Mono<Void> deliver(AlertOutbox.Claimed claimed) {
		return Mono.defer(() -> {
			byte[] body = claimed.payload().getBytes(StandardCharsets.UTF_8);
			Instant now = Instant.now();
			long timestamp = now.getEpochSecond();
			List<String> secrets = claimed.encryptedSecrets(now).stream().map(this.cipher::decrypt).toList();
			HttpRequest request = HttpRequest.newBuilder(URI.create(claimed.url()))
				.timeout(this.properties.requestTimeout())
				.header("content-type", "application/json")
				.header("user-agent", "Tollgate-Webhooks")
				.header(WebhookSignature.ID_HEADER, claimed.eventId())
				.header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
				.header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.header(secrets, timestamp, body))
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build();
			return Mono.fromFuture(() -> this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
		}).flatMap((response) -> {
			int status = response.statusCode();
			return (status >= 200 && status < 300) ? this.outbox.delivered(claimed.id(), status)
					: failed(claimed, status, "HTTP " + status);
		})
			.onErrorResume((ex) -> !(ex instanceof org.springframework.dao.DataAccessException),
					(ex) -> failed(claimed, null, describe(ex)));
	}

	private Mono<Void> failed(AlertOutbox.Claimed claimed, Integer status, String error) {
		int attempts = claimed.attempts() + 1;
		Instant next = (attempts >= this.properties.maxAttempts()) ? null
				: Instant.now().plus(this.properties.backoff(attempts));
		if (next == null) {
			logger.warn("Alert {} failed after {} attempts: {}", claimed.eventId(), attempts, error);
		}
		return this.outbox.attemptFailed(claimed.id(), status, error, next);
	}

	private static String describe(Throwable ex) {
		Throwable cause = (ex.getCause() != null && ex.getMessage() == null) ? ex.getCause() : ex;
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	@Override
	public void close() {
		if (this.polling != null) {
			this.polling.dispose();
		}
		this.scheduler.dispose();
		this.http.close();
	}

}
