package io.tollgate.admin.api;

import java.math.BigDecimal;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.redemption.RedemptionBatch;
import io.tollgate.billing.redemption.RedemptionCodes;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import io.tollgate.billing.tenantuser.TenantUser;
import io.tollgate.billing.tenantuser.TenantUsers;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Admin API for the tenant portal: tenant users (created with a one-time set-password
 * link returned to the admin) and redemption code batches (the codes returned once).
 */
@RestController
@ConsoleEnabled
@RequestMapping("/api/admin")
class PortalAdminApi {

	private final TenantUsers users;

	private final RedemptionCodes codes;

	private final SecondFactors factors;

	PortalAdminApi(TenantUsers users, RedemptionCodes codes, SecondFactors factors) {
		this.users = users;
		this.codes = codes;
		this.factors = factors;
	}

	/** A tenant's portal users. */
	@GetMapping("/tenants/{tenantId}/users")
	Mono<List<TenantUser>> users(@PathVariable long tenantId) {
		return this.users.list(tenantId);
	}

	/**
	 * Creates a portal user; the answer holds the one-time link that sets its password.
	 */
	@PostMapping("/tenants/{tenantId}/users")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Invitation> createUser(@PathVariable long tenantId, @RequestBody NewUser body, Principal principal,
			ServerWebExchange exchange) {
		return this.users.create(tenantId, body.login(), body.role(), principal.getName())
			.map((invited) -> invitation(invited, exchange));
	}

	/** A new one-time set-password link for a portal user. */
	@PostMapping("/tenants/{tenantId}/users/{userId}/link")
	Mono<Invitation> link(@PathVariable long tenantId, @PathVariable long userId, Principal principal,
			ServerWebExchange exchange) {
		return this.users.newLink(tenantId, userId, principal.getName())
			.map((invited) -> invitation(invited, exchange));
	}

	/**
	 * Switches a portal user's TOTP second factor off (a lost phone); audited. The user
	 * logs in with the password alone until it sets up a new one.
	 */
	@PostMapping("/tenants/{tenantId}/users/{userId}/second-factor/reset")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> resetSecondFactor(@PathVariable long tenantId, @PathVariable long userId, Principal principal) {
		return this.users.find(tenantId, userId)
			.flatMap((user) -> this.factors.reset(SecondFactorSubject.tenant(user.id(), user.login()),
					principal.getName()))
			.then();
	}

	/** Redemption code batches with how far each was redeemed. */
	@GetMapping("/redemption-batches")
	Mono<List<RedemptionBatch.Summary>> batches() {
		return this.codes.batches();
	}

	/** Generates a batch of codes; they are in this answer and nowhere else. */
	@PostMapping("/redemption-batches")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<RedemptionBatch> generate(@RequestBody NewBatch body, Principal principal) {
		return this.codes.generate(body.batch(), (body.count() != null) ? body.count() : 1, body.amount(),
				body.expiresAt(), principal.getName());
	}

	private static Invitation invitation(TenantUser.Invited invited, ServerWebExchange exchange) {
		URI uri = exchange.getRequest().getURI();
		return new Invitation(invited.user(),
				uri.getScheme() + "://" + uri.getRawAuthority() + "/portal/welcome/" + invited.token(),
				invited.expiresAt());
	}

	/**
	 * A portal user to create.
	 *
	 * @param login email address or username
	 * @param role {@code owner} or {@code member}
	 */
	record NewUser(String login, String role) {
	}

	/**
	 * A user created, with the link that sets its password.
	 *
	 * @param user the user
	 * @param setPasswordUrl the one-time link
	 * @param expiresAt when the link stops working
	 */
	record Invitation(TenantUser user, String setPasswordUrl, Instant expiresAt) {
	}

	/**
	 * A batch of codes to generate.
	 *
	 * @param batch unique batch name
	 * @param count how many codes (default 1)
	 * @param amount what each credits
	 * @param expiresAt when they stop working, or {@code null}
	 */
	record NewBatch(String batch, Integer count, BigDecimal amount, Instant expiresAt) {
	}

}
