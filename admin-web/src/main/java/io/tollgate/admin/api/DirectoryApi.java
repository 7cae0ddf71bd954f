package io.tollgate.admin.api;

import java.security.Principal;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.health.AccountHealthView;
import io.tollgate.admin.health.ConnectionTester;
import io.tollgate.billing.admin.Account;
import io.tollgate.billing.admin.AccountAdmin;
import io.tollgate.billing.admin.ApiKeyInfo;
import io.tollgate.billing.admin.AuditLog;
import io.tollgate.billing.admin.Group;
import io.tollgate.billing.admin.GroupAdmin;
import io.tollgate.billing.admin.KeyAdmin;
import io.tollgate.billing.admin.Tenant;
import io.tollgate.billing.admin.TenantAdmin;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API for tenants, keys, groups and upstream accounts.
 */
@RestController
@ConsoleEnabled
@RequestMapping("/api/admin")
class DirectoryApi {

	private final TenantAdmin tenants;

	private final KeyAdmin keys;

	private final GroupAdmin groups;

	private final AccountAdmin accounts;

	private final AccountHealthView health;

	private final ConnectionTester tester;

	private final AuditLog audit;

	DirectoryApi(TenantAdmin tenants, KeyAdmin keys, GroupAdmin groups, AccountAdmin accounts, AccountHealthView health,
			ConnectionTester tester, AuditLog audit) {
		this.tenants = tenants;
		this.keys = keys;
		this.groups = groups;
		this.accounts = accounts;
		this.health = health;
		this.tester = tester;
		this.audit = audit;
	}

	@GetMapping("/tenants")
	Mono<List<Tenant>> tenants() {
		return this.tenants.list();
	}

	@GetMapping("/tenants/{id}")
	Mono<Tenant> tenant(@PathVariable long id) {
		return this.tenants.get(id);
	}

	@PostMapping("/tenants")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Tenant> createTenant(@RequestBody Tenant.Form form, Principal principal) {
		return this.tenants.create(form, principal.getName());
	}

	@PutMapping("/tenants/{id}")
	Mono<Tenant> updateTenant(@PathVariable long id, @RequestBody Tenant.Form form, Principal principal) {
		return this.tenants.update(id, form, principal.getName());
	}

	@PostMapping("/tenants/{id}/suspend")
	Mono<Tenant> suspendTenant(@PathVariable long id, Principal principal) {
		return this.tenants.setStatus(id, "suspended", principal.getName());
	}

	@PostMapping("/tenants/{id}/activate")
	Mono<Tenant> activateTenant(@PathVariable long id, Principal principal) {
		return this.tenants.setStatus(id, "active", principal.getName());
	}

	@GetMapping("/keys")
	Mono<List<ApiKeyInfo>> keys(@RequestParam(required = false) Long tenantId) {
		return this.keys.list(tenantId);
	}

	@GetMapping("/keys/{id}")
	Mono<ApiKeyInfo> key(@PathVariable long id) {
		return this.keys.get(id);
	}

	@PostMapping("/keys")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<ApiKeyInfo.Issued> issueKey(@RequestBody ApiRequests.IssueKey body, Principal principal) {
		return this.keys.issue(body.tenantId(), body.name(), body.settings(), principal.getName());
	}

	@PutMapping("/keys/{id}")
	Mono<ApiKeyInfo> updateKey(@PathVariable long id, @RequestBody ApiKeyInfo.Settings settings, Principal principal) {
		return this.keys.update(id, settings, principal.getName());
	}

	@PostMapping("/keys/{id}/revoke")
	Mono<ApiKeyInfo> revokeKey(@PathVariable long id, Principal principal) {
		return this.keys.revoke(id, principal.getName());
	}

	@GetMapping("/groups")
	Mono<List<Group>> groups() {
		return this.groups.list();
	}

	@GetMapping("/groups/{id}")
	Mono<Group> group(@PathVariable long id) {
		return this.groups.get(id);
	}

	@PostMapping("/groups")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Group> createGroup(@RequestBody ApiRequests.GroupBody body, Principal principal) {
		return this.groups.create(body.name(), body.settings(), principal.getName());
	}

	@PutMapping("/groups/{id}")
	Mono<Group> updateGroup(@PathVariable long id, @RequestBody ApiRequests.GroupBody body, Principal principal) {
		return this.groups.update(id, body.name(), body.settings(), principal.getName());
	}

	@PutMapping("/groups/{id}/members/{accountId}")
	Mono<Group> putMember(@PathVariable long id, @PathVariable long accountId, @RequestBody ApiRequests.Member member,
			Principal principal) {
		return this.groups.putMember(id, accountId, member.priority(), member.weight(), principal.getName());
	}

	@DeleteMapping("/groups/{id}/members/{accountId}")
	Mono<Group> removeMember(@PathVariable long id, @PathVariable long accountId, Principal principal) {
		return this.groups.removeMember(id, accountId, principal.getName());
	}

	@GetMapping("/accounts")
	Mono<List<Account>> accounts() {
		return this.accounts.list();
	}

	@GetMapping("/accounts/{id}")
	Mono<Account> account(@PathVariable long id) {
		return this.accounts.get(id);
	}

	@PostMapping("/accounts")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Account> createAccount(@RequestBody ApiRequests.AccountBody body, Principal principal) {
		return this.accounts.create(body.name(), body.credential(), body.settings(), principal.getName());
	}

	@PutMapping("/accounts/{id}")
	Mono<Account> updateAccount(@PathVariable long id, @RequestBody ApiRequests.AccountBody body, Principal principal) {
		return this.accounts.update(id, body.name(), body.credential(), body.settings(), principal.getName());
	}

	@PostMapping("/accounts/{id}/test")
	Mono<ConnectionTester.Result> testAccount(@PathVariable long id) {
		return this.accounts.connection(id).flatMap(this.tester::test);
	}

	@GetMapping("/accounts/health")
	Mono<ApiRequests.Health> accountHealth() {
		return this.health.byAccount()
			.map((all) -> new ApiRequests.Health(all.isPresent(), all.orElse(java.util.Map.of())));
	}

	@PostMapping("/accounts/{id}/reset")
	Mono<ApiRequests.Health> resetAccount(@PathVariable long id, Principal principal) {
		return this.accounts.get(id)
			.then(this.health.reset(id))
			.flatMap((done) -> this.audit.record(principal.getName(), "account.health.reset", "account",
					Long.toString(id), java.util.Map.of("reset", done)))
			.then(accountHealth());
	}

}
