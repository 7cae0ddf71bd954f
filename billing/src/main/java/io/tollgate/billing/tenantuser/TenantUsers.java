package io.tollgate.billing.tenantuser;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.r2dbc.spi.Readable;
import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.key.ApiKeys;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * Tenant users: created by an admin or invited by the tenant's owner, each starting with
 * a one-time link that sets the password. Passwords arrive already encoded (hashing is
 * the security layer's job); link tokens are stored only as SHA-256 hashes.
 */
public class TenantUsers {

	/** What every set-password token starts with. */
	public static final String LINK_PREFIX = "tgl-";

	private static final Pattern LOGIN = Pattern.compile("[a-z0-9][a-z0-9._@+-]{2,199}");

	private static final String SELECT = """
			SELECT u.*, t.name AS tenant_name FROM tenant_user u JOIN tenant t ON t.id = u.tenant_id""";

	private final AdminSupport support;

	private final Duration linkValidity;

	public TenantUsers(AdminSupport support, Duration linkValidity) {
		this.support = support;
		this.linkValidity = linkValidity;
	}

	/**
	 * Creates a user for a tenant, as an admin.
	 * @param tenantId the tenant
	 * @param login email address or username
	 * @param role {@code owner} or {@code member}
	 * @param actor the admin
	 * @return the user and its one-time set-password token
	 */
	public Mono<TenantUser.Invited> create(long tenantId, String login, String role, String actor) {
		String name = login(login);
		String userRole = role(role);
		Mono<TenantUser.Invited> created = tenantExists(tenantId)
			.then(this.support.insert(this.support.db()
				.sql("""
						INSERT INTO tenant_user (tenant_id, login, role, status, created_by)
						VALUES (:tenant, :login, :role, 'invited', :actor)""")
				.bind("tenant", tenantId)
				.bind("login", name)
				.bind("role", userRole)
				.bind("actor", actor)))
			.onErrorMap(DataIntegrityViolationException.class,
					(ex) -> AdminException.invalid("A user '" + name + "' already exists"))
			.flatMap((id) -> link(id).flatMap(
					(link) -> get(id).map((user) -> new TenantUser.Invited(user, link.token(), link.expiresAt()))));
		return this.support
			.transactional(
					created
						.flatMap(
								(invited) -> this.support
									.audit(actor, "tenant.user.create", "tenant_user",
											Long.toString(invited.user().id()), Map.of("tenant",
													invited.user().tenantName(), "login", name, "role", userRole))
									.thenReturn(invited)));
	}

	/**
	 * Invites a user to the principal's own tenant; only its owner may.
	 * @param by the owner
	 * @param login email address or username
	 * @param role {@code owner} or {@code member}
	 * @return the user and its one-time set-password token
	 */
	public Mono<TenantUser.Invited> invite(TenantPrincipal by, String login, String role) {
		if (!by.owner()) {
			return Mono.error(AdminException.invalid("Only the tenant's owner may invite users"));
		}
		return create(by.tenantId(), login, role, by.actor());
	}

	/**
	 * A new one-time link for a user of the principal's tenant (a forgotten password);
	 * the user's earlier unused links stop working.
	 */
	public Mono<TenantUser.Invited> newLink(TenantPrincipal by, long userId) {
		if (!by.owner()) {
			return Mono.error(AdminException.invalid("Only the tenant's owner may reset passwords"));
		}
		return newLink(by.tenantId(), userId, by.actor());
	}

	/** A new one-time link for a tenant's user, as an admin. */
	public Mono<TenantUser.Invited> newLink(long tenantId, long userId, String actor) {
		return this.support.transactional(find(tenantId, userId).flatMap((user) -> this.support.db()
			.sql("UPDATE tenant_user_link SET used_at = :at WHERE user_id = :id AND used_at IS NULL")
			.bind("at", AdminSupport.timestamp(Instant.now()))
			.bind("id", userId)
			.then()
			.then(link(userId))
			.flatMap((link) -> this.support
				.audit(actor, "tenant.user.link", "tenant_user", Long.toString(userId),
						Map.of("tenant", user.tenantName(), "login", user.login()))
				.thenReturn(new TenantUser.Invited(user, link.token(), link.expiresAt())))));
	}

	/** A tenant's users, by login. */
	public Mono<List<TenantUser>> list(long tenantId) {
		return this.support.db()
			.sql(SELECT + " WHERE u.tenant_id = :tenant ORDER BY u.login")
			.bind("tenant", tenantId)
			.map(TenantUsers::user)
			.all()
			.collectList();
	}

	/** The users of the principal's own tenant. */
	public Mono<List<TenantUser>> list(TenantPrincipal principal) {
		return list(principal.tenantId());
	}

	/** The user with this login and its password hash, for the login check. */
	public Mono<TenantUser.Credentials> credentials(String login) {
		if (login == null) {
			return Mono.empty();
		}
		return this.support.db()
			.sql(SELECT + " WHERE u.login = :login")
			.bind("login", login.trim().toLowerCase(Locale.ROOT))
			.map((row) -> new TenantUser.Credentials(user(row), row.get("password_hash", String.class)))
			.one();
	}

	/** The user a still valid, unused set-password token belongs to. */
	public Mono<TenantUser> pending(String token) {
		if (token == null || !token.startsWith(LINK_PREFIX)) {
			return Mono.empty();
		}
		return this.support.db()
			.sql("SELECT user_id FROM tenant_user_link WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now")
			.bind("hash", ApiKeys.hash(token))
			.bind("now", AdminSupport.timestamp(Instant.now()))
			.map((row) -> row.get("user_id", Long.class))
			.one()
			.flatMap(this::get)
			.filter((user) -> !"disabled".equals(user.status()));
	}

	/**
	 * Sets a password through a one-time token: the token is used up in the same
	 * transaction, so it works once even when submitted twice at the same time.
	 * @param token the set-password token
	 * @param passwordHash the encoded password
	 * @return the user, now active
	 */
	public Mono<TenantUser> setPassword(String token, String passwordHash) {
		Mono<TenantUser> change = pending(token)
			.switchIfEmpty(Mono.error(() -> AdminException.invalid("This link is invalid, used or expired")))
			.flatMap((user) -> this.support.db()
				.sql("""
						UPDATE tenant_user_link SET used_at = :now
						WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now""")
				.bind("now", AdminSupport.timestamp(Instant.now()))
				.bind("hash", ApiKeys.hash(token))
				.fetch()
				.rowsUpdated()
				.flatMap((updated) -> (updated == 1) ? Mono.just(user)
						: Mono.error(AdminException.invalid("This link is invalid, used or expired"))))
			.flatMap((user) -> this.support.db()
				.sql("UPDATE tenant_user SET password_hash = :hash, status = 'active' WHERE id = :id")
				.bind("hash", passwordHash)
				.bind("id", user.id())
				.then()
				.then(this.support.audit(user.principal().actor(), "tenant.user.password", "tenant_user",
						Long.toString(user.id()), Map.of("tenant", user.tenantName())))
				.then(get(user.id())));
		return this.support.transactional(change);
	}

	/** Notes a successful login. */
	public Mono<Void> loggedIn(long userId) {
		return this.support.db()
			.sql("UPDATE tenant_user SET last_login_at = :at WHERE id = :id")
			.bind("at", AdminSupport.timestamp(Instant.now()))
			.bind("id", userId)
			.then();
	}

	/**
	 * One of a tenant's users.
	 * @param tenantId the tenant
	 * @param userId the user
	 * @return the user, or a not-found error when the user is not the tenant's
	 */
	public Mono<TenantUser> find(long tenantId, long userId) {
		return get(userId).filter((user) -> user.tenantId() == tenantId)
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("User", userId)));
	}

	private Mono<TenantUser> get(long id) {
		return this.support.db().sql(SELECT + " WHERE u.id = :id").bind("id", id).map(TenantUsers::user).one();
	}

	private Mono<Void> tenantExists(long tenantId) {
		return this.support.db()
			.sql("SELECT id FROM tenant WHERE id = :id")
			.bind("id", tenantId)
			.map((row) -> row.get("id", Long.class))
			.one()
			.switchIfEmpty(Mono.error(() -> AdminException.notFound("Tenant", tenantId)))
			.then();
	}

	private Mono<Link> link(long userId) {
		String token = LINK_PREFIX + ApiKeys.generate().substring(ApiKeys.PREFIX.length());
		Instant expiresAt = Instant.now().plus(this.linkValidity);
		return this.support.db()
			.sql("INSERT INTO tenant_user_link (user_id, token_hash, expires_at) VALUES (:user, :hash, :expires)")
			.bind("user", userId)
			.bind("hash", ApiKeys.hash(token))
			.bind("expires", AdminSupport.timestamp(expiresAt))
			.then()
			.thenReturn(new Link(token, expiresAt));
	}

	static String login(String login) {
		String value = (login != null) ? login.trim().toLowerCase(Locale.ROOT) : "";
		if (!LOGIN.matcher(value).matches()) {
			throw AdminException
				.invalid("A login is an email address or a username of 3 to 200 letters, digits and . _ @ + -");
		}
		return value;
	}

	static String role(String role) {
		String value = (role != null) ? role.trim().toLowerCase(Locale.ROOT) : "";
		if (!value.equals(TenantPrincipal.OWNER) && !value.equals(TenantPrincipal.MEMBER)) {
			throw AdminException.invalid("Role must be owner or member");
		}
		return value;
	}

	private static TenantUser user(Readable row) {
		return new TenantUser(row.get("id", Long.class), row.get("tenant_id", Long.class),
				row.get("tenant_name", String.class), row.get("login", String.class), row.get("role", String.class),
				row.get("status", String.class), row.get("created_by", String.class),
				AdminSupport.instant(row, "created_at"), AdminSupport.instant(row, "last_login_at"));
	}

	private record Link(String token, Instant expiresAt) {
	}

}
