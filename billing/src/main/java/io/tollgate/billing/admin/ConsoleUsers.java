package io.tollgate.billing.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.internal.AdminSupport;
import reactor.core.publisher.Mono;

/**
 * Console users. Passwords arrive already encoded: hashing is the security layer's job.
 */
public class ConsoleUsers {

	private final AdminSupport support;

	public ConsoleUsers(AdminSupport support) {
		this.support = support;
	}

	/** The user with this name, if any. */
	public Mono<ConsoleUser> find(String username) {
		return this.support.db()
			.sql("SELECT * FROM admin_user WHERE username = :u")
			.bind("u", username)
			.map(ConsoleUsers::user)
			.one();
	}

	/** Every user, by name. */
	public Mono<List<ConsoleUser>> list() {
		return this.support.db()
			.sql("SELECT * FROM admin_user ORDER BY username")
			.map(ConsoleUsers::user)
			.all()
			.collectList();
	}

	/** Creates a user. */
	public Mono<ConsoleUser> create(String username, String passwordHash, String role, String actor) {
		String name = Validation.name(username, "Username");
		String userRole = Validation.oneOf(role, "Role", "admin", "finance").toUpperCase(java.util.Locale.ROOT);
		Mono<ConsoleUser> insert = Validation.unique(this.support.insert(this.support.db()
			.sql("INSERT INTO admin_user (username, password_hash, role) VALUES (:u, :p, :r)")
			.bind("u", name)
			.bind("p", passwordHash)
			.bind("r", userRole)), "user", name).then(find(name));
		return this.support.transactional(insert.flatMap(
				(user) -> this.support
					.audit(actor, "user.create", "admin_user", Long.toString(user.id()),
							Map.of("username", user.username(), "role", user.role()))
					.thenReturn(user)));
	}

	/**
	 * Creates the first admin unless any user exists.
	 * @return the user created, or empty when there already was one
	 */
	public Mono<ConsoleUser> createFirstAdmin(String username, String passwordHash) {
		return this.support.db()
			.sql("SELECT COUNT(*) AS n FROM admin_user")
			.map((row) -> ((Number) row.get("n")).longValue())
			.one()
			.filter((count) -> count == 0)
			.flatMap((none) -> create(username, passwordHash, "admin", "system"));
	}

	/** Enables ({@code active}) or disables ({@code disabled}) a user. */
	public Mono<ConsoleUser> setStatus(String username, String status, String actor) {
		String value = Validation.oneOf(status, "Status", "active", "disabled");
		return this.support.transactional(this.support.db()
			.sql("UPDATE admin_user SET status = :s WHERE username = :u")
			.bind("s", value)
			.bind("u", username)
			.then()
			.then(find(username))
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("User", username)))
			.flatMap((user) -> this.support
				.audit(actor, "user." + value, "admin_user", Long.toString(user.id()),
						Map.of("username", user.username()))
				.thenReturn(user)));
	}

	/** Notes a successful login. */
	public Mono<Void> loggedIn(String username) {
		return this.support.db()
			.sql("UPDATE admin_user SET last_login_at = :at WHERE username = :u")
			.bind("at", AdminSupport.timestamp(Instant.now()))
			.bind("u", username)
			.then();
	}

	private static ConsoleUser user(Readable row) {
		return new ConsoleUser(row.get("id", Long.class), row.get("username", String.class),
				row.get("password_hash", String.class), row.get("role", String.class), row.get("status", String.class),
				AdminSupport.instant(row, "created_at"), AdminSupport.instant(row, "last_login_at"));
	}

}
