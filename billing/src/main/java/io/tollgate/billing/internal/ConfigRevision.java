package io.tollgate.billing.internal;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The configuration revision every node polls: bumped by each change to what the hot path
 * reads.
 */
public final class ConfigRevision {

	private ConfigRevision() {
	}

	public static Mono<Void> bump(DatabaseClient db) {
		return db.sql("UPDATE config_revision SET revision = revision + 1 WHERE id = 1").then();
	}

}
