package io.tollgate.admin.console;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.admin.export.CsvExports;
import io.tollgate.billing.admin.TenantAdmin;
import io.tollgate.billing.redemption.RedemptionBatch;
import io.tollgate.billing.redemption.RedemptionCodes;
import io.tollgate.billing.secondfactor.SecondFactorSubject;
import io.tollgate.billing.secondfactor.SecondFactors;
import io.tollgate.billing.tenantuser.TenantUser;
import io.tollgate.billing.tenantuser.TenantUsers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;

/**
 * The admin's side of the tenant portal: tenant users (create one, or make a new
 * set-password link, shown to the admin to pass on) and redemption code batches
 * (generated and downloaded as CSV once; only hashes are kept). An admin resets a tenant
 * user's second factor here (a lost phone), audited.
 */
@Controller
@ConsoleEnabled
class PortalAdminPages {

	static final List<String> CODES_HEADER = List.of("batch", "code", "amount", "expires_at");

	private final TenantUsers users;

	private final TenantAdmin tenants;

	private final RedemptionCodes codes;

	private final SecondFactors factors;

	PortalAdminPages(TenantUsers users, TenantAdmin tenants, RedemptionCodes codes, SecondFactors factors) {
		this.factors = factors;
		this.users = users;
		this.tenants = tenants;
		this.codes = codes;
	}

	@GetMapping("/admin/portal")
	Mono<String> page(@RequestParam(required = false) Long tenantId, Model model) {
		return Mono.zip(this.tenants.list(), this.codes.batches()).flatMap((t) -> {
			Long selected = (tenantId != null) ? tenantId : t.getT1().isEmpty() ? null : t.getT1().get(0).id();
			model.addAttribute("tenants", t.getT1());
			model.addAttribute("batches", t.getT2());
			model.addAttribute("tenantId", selected);
			return Mono
				.zip((selected != null) ? this.users.list(selected) : Mono.just(List.<TenantUser>of()),
						this.factors.enabledIds(SecondFactorSubject.TENANT))
				.map((users) -> {
					model.addAttribute("users", users.getT1());
					model.addAttribute("totp", users.getT2());
					return "admin/portal";
				});
		});
	}

	@PostMapping("/admin/portal/users")
	Mono<String> create(ServerWebExchange exchange, Principal principal, Model model) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.users.create(form.id("tenantId"), form.text("login"), form.text("role"),
					principal.getName()))
			.map((invited) -> invited(invited, exchange, model));
	}

	@PostMapping("/admin/portal/users/{id}/link")
	Mono<String> link(@PathVariable long id, ServerWebExchange exchange, Principal principal, Model model) {
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.users.newLink(form.id("tenantId"), id, principal.getName()))
			.map((invited) -> invited(invited, exchange, model));
	}

	@PostMapping("/admin/portal/users/{id}/totp/reset")
	Mono<String> resetSecondFactor(@PathVariable long id, ServerWebExchange exchange, Principal principal) {
		return exchange.getFormData().map(Form::new).flatMap((form) -> {
			long tenantId = form.id("tenantId");
			return this.users.find(tenantId, id)
				.flatMap((user) -> this.factors.reset(SecondFactorSubject.tenant(user.id(), user.login()),
						principal.getName()))
				.thenReturn("redirect:/admin/portal?tenantId=" + tenantId);
		});
	}

	@PostMapping("/admin/portal/redemption")
	Mono<Void> generate(ServerWebExchange exchange, Principal principal) {
		ServerHttpResponse response = exchange.getResponse();
		return exchange.getFormData()
			.map(Form::new)
			.flatMap((form) -> this.codes.generate(form.text("batch"), count(form), form.decimal("amount"),
					form.instant("expiresAt"), principal.getName()))
			.flatMap((batch) -> {
				response.getHeaders().setContentType(new MediaType("text", "csv", StandardCharsets.UTF_8));
				response.getHeaders()
					.setContentDisposition(ContentDisposition.attachment()
						.filename("codes-" + batch.batch().replaceAll("[^A-Za-z0-9._-]", "_") + ".csv",
								StandardCharsets.UTF_8)
						.build());
				response.getHeaders().setCacheControl("no-store");
				return response.writeWith(CsvExports.chunks(response.bufferFactory(), CODES_HEADER,
						Flux.fromIterable(batch.codes()), (code) -> row(batch, code)));
			});
	}

	private static int count(Form form) {
		Integer count = form.integer("count");
		return (count != null) ? count : 1;
	}

	private static List<Object> row(RedemptionBatch batch, String code) {
		return Arrays.asList(batch.batch(), code, batch.amount().toPlainString(),
				(batch.expiresAt() != null) ? batch.expiresAt().toString() : "");
	}

	private static String invited(TenantUser.Invited invited, ServerWebExchange exchange, Model model) {
		model.addAttribute("invited", invited);
		model.addAttribute("link", KeyPages.baseUrl(exchange) + "/portal/welcome/" + invited.token());
		return "admin/tenant-user-invited";
	}

}
