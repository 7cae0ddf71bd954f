package io.tollgate.admin.console;

import java.security.Principal;
import java.util.Map;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.health.AccountHealthView;
import io.tollgate.admin.health.ConnectionTester;
import io.tollgate.billing.admin.Account;
import io.tollgate.billing.admin.AccountAdmin;
import io.tollgate.billing.admin.AuditLog;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * Upstream accounts: add and edit (the credential masked, never shown again), test the
 * connection, see health, cooldown and breaker state, and reset it.
 */
@Controller
@ConsoleEnabled
class AccountPages {

	private final AccountAdmin accounts;

	private final AccountHealthView health;

	private final ConnectionTester tester;

	private final AuditLog audit;

	private final CacheHitCharts cacheHits;

	AccountPages(AccountAdmin accounts, AccountHealthView health, ConnectionTester tester, AuditLog audit,
			CacheHitCharts cacheHits) {
		this.cacheHits = cacheHits;
		this.accounts = accounts;
		this.health = health;
		this.tester = tester;
		this.audit = audit;
	}

	@GetMapping("/admin/accounts")
	Mono<String> list(Model model) {
		return Mono.zip(this.accounts.list(), this.health.byAccount()).map((t) -> {
			model.addAttribute("accounts", t.getT1());
			model.addAttribute("healthAvailable", t.getT2().isPresent());
			model.addAttribute("health", t.getT2().orElse(Map.of()));
			return "admin/accounts";
		});
	}

	@PostMapping("/admin/accounts")
	Mono<String> create(ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.accounts.create(form.text("name"), form.raw("credential"), settings(form),
					principal.getName()))
			.map((account) -> "redirect:/admin/accounts/" + account.id());
	}

	@GetMapping("/admin/accounts/{id}")
	Mono<String> show(@PathVariable long id, Model model) {
		return page(id, model, null);
	}

	@PostMapping("/admin/accounts/{id}")
	Mono<String> update(@PathVariable long id, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.accounts.update(id, form.text("name"), form.raw("credential"), settings(form),
					principal.getName()))
			.thenReturn("redirect:/admin/accounts/" + id);
	}

	@PostMapping("/admin/accounts/{id}/test")
	Mono<String> test(@PathVariable long id, Model model) {
		return this.accounts.connection(id).flatMap(this.tester::test).flatMap((result) -> page(id, model, result));
	}

	@PostMapping("/admin/accounts/{id}/reset")
	Mono<String> reset(@PathVariable long id, Principal principal) {
		return this.accounts.get(id)
			.then(this.health.reset(id))
			.flatMap((done) -> this.audit.record(principal.getName(), "account.health.reset", "account",
					Long.toString(id), Map.of("reset", done)))
			.thenReturn("redirect:/admin/accounts/" + id);
	}

	private Mono<String> page(long id, Model model, ConnectionTester.Result result) {
		model.addAttribute("cacheHits", this.cacheHits.account(id));
		return Mono.zip(this.accounts.get(id), this.health.byAccount()).map((t) -> {
			model.addAttribute("account", t.getT1());
			model.addAttribute("mappingText", Form.mappingText(t.getT1().settings().modelMapping()));
			model.addAttribute("healthAvailable", t.getT2().isPresent());
			t.getT2().map((all) -> all.get(id)).ifPresent((state) -> model.addAttribute("state", state));
			if (result != null) {
				model.addAttribute("testResult", result);
			}
			return "admin/account";
		});
	}

	private static Account.Settings settings(Form form) {
		return new Account.Settings(form.text("platform"), form.text("baseUrl"), form.list("models"),
				form.mapping("modelMapping"), form.integer("concurrencyLimit"), form.integer("priority"),
				form.integer("weight"), (form.text("status") != null) ? form.text("status") : "active");
	}

}
