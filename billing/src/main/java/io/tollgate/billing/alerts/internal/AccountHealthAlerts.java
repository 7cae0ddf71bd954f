package io.tollgate.billing.alerts.internal;

import java.util.Map;

import io.tollgate.billing.alerts.AlertKind;
import io.tollgate.billing.directory.Directory;
import io.tollgate.billing.directory.GroupView;
import io.tollgate.billing.health.AccountHealthChange;
import io.tollgate.billing.health.AccountHealthListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Turns the router's account health changes into deliveries for the
 * {@code account_health} rules. The router's call only hands the change to a queue; the
 * rows are written from a thread of this class's own.
 */
public class AccountHealthAlerts implements AccountHealthListener, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AccountHealthAlerts.class);

	private final Sinks.Many<AccountHealthChange> changes = Sinks.many().unicast().onBackpressureBuffer();

	private final Scheduler scheduler = Schedulers.newSingle("tollgate-alert-health", true);

	private final Disposable writing;

	private final Directory directory;

	public AccountHealthAlerts(AlertRules rules, AlertOutbox outbox, Directory directory) {
		this.directory = directory;
		this.writing = this.changes.asFlux()
			.publishOn(this.scheduler)
			.concatMap((change) -> rules.active()
				.flatMapMany(Flux::fromIterable)
				.filter((rule) -> rule.kind() == AlertKind.ACCOUNT_HEALTH)
				.concatMap((rule) -> outbox.enqueue(rule.endpointId(), rule.id(), "account." + change.kind().id(), null,
						data(change)))
				.then()
				.onErrorResume((ex) -> {
					logger.warn("Could not queue the alert for account {}: {}", change.accountId(), ex.toString());
					return Mono.empty();
				}))
			.subscribe();
	}

	@Override
	public void changed(AccountHealthChange change) {
		Sinks.EmitResult result;
		// the sink takes one producer at a time; changes are rare (transitions only)
		synchronized (this.changes) {
			result = this.changes.tryEmitNext(change);
		}
		if (result.isFailure()) {
			logger.warn("Dropped the alert for account {}: {}", change.accountId(), result);
		}
	}

	private Map<String, Object> data(AccountHealthChange change) {
		Map<String, Object> data = AlertEvaluator.data("account_id", change.accountId(), "account_name",
				accountName(change.accountId()), "state", change.kind().id());
		if (change.until() != null) {
			data.put("until", change.until().toString());
		}
		if (change.error() != null) {
			data.put("last_error", change.error());
		}
		return data;
	}

	private String accountName(long accountId) {
		for (GroupView group : this.directory.snapshot().groups().values()) {
			for (GroupView.Member member : group.members()) {
				if (member.account().id() == accountId) {
					return member.account().name();
				}
			}
		}
		return null;
	}

	@Override
	public void close() {
		this.changes.tryEmitComplete();
		this.writing.dispose();
		this.scheduler.dispose();
	}

}
