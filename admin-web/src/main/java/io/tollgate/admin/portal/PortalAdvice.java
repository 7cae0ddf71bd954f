package io.tollgate.admin.portal;

import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.tenantuser.TenantPrincipal;
import io.tollgate.billing.tenantview.OwnerOnly;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;

/**
 * What every portal page gets: the CSRF token for its forms and who is logged in; errors
 * shown as a page (another tenant's id is "not found", as is a missing one).
 */
@ControllerAdvice(assignableTypes = { PortalPages.class, PortalKeyPages.class, PortalUsagePages.class,
		PortalUserPages.class, PortalLoginPages.class, PortalSecurityPages.class, PortalNotificationPages.class })
class PortalAdvice {

	@ModelAttribute("_csrf")
	Mono<CsrfToken> csrf(ServerWebExchange exchange) {
		Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
		return (token != null) ? token.doOnNext(
				(value) -> exchange.getAttributes().put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, value))
				: Mono.empty();
	}

	@ModelAttribute("tenant")
	Mono<TenantPrincipal> tenant(ServerWebExchange exchange) {
		return exchange.getPrincipal()
			.filter(PortalAuthentication.class::isInstance)
			.map((principal) -> ((Authentication) principal).getPrincipal())
			.cast(TenantPrincipal.class);
	}

	@ExceptionHandler
	String invalid(AdminException ex, Model model, ServerWebExchange exchange) {
		exchange.getResponse().setStatusCode(ex.isNotFound() ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST);
		model.addAttribute("message", ex.getMessage());
		return "portal/error";
	}

	@ExceptionHandler
	String ownerOnly(OwnerOnly ex, Model model, ServerWebExchange exchange) {
		exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
		model.addAttribute("message", ex.getMessage());
		return "portal/error";
	}

	@ExceptionHandler
	String conflict(DataIntegrityViolationException ex, Model model, ServerWebExchange exchange) {
		exchange.getResponse().setStatusCode(HttpStatus.CONFLICT);
		model.addAttribute("message", "The change conflicts with existing data.");
		return "portal/error";
	}

}
