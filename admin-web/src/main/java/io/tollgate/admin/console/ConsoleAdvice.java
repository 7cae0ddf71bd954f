package io.tollgate.admin.console;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.AdminException;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;

/**
 * What every console page gets: the CSRF token for its forms, who is logged in and
 * whether they may change things; and errors shown as a page, not a stack trace.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@ConsoleEnabled
class ConsoleAdvice {

	@ModelAttribute("_csrf")
	Mono<CsrfToken> csrf(ServerWebExchange exchange) {
		Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
		return (token != null) ? token.doOnNext(
				(value) -> exchange.getAttributes().put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, value))
				: Mono.empty();
	}

	@ModelAttribute("username")
	Mono<String> username(ServerWebExchange exchange) {
		return exchange.getPrincipal().map(java.security.Principal::getName);
	}

	@ModelAttribute("isAdmin")
	Mono<Boolean> isAdmin(ServerWebExchange exchange) {
		return exchange.getPrincipal()
			.map((principal) -> principal instanceof Authentication authentication && authentication.getAuthorities()
				.stream()
				.anyMatch((authority) -> "ROLE_ADMIN".equals(authority.getAuthority())))
			.defaultIfEmpty(false);
	}

	@ExceptionHandler
	String admin(AdminException ex, Model model, ServerWebExchange exchange) {
		exchange.getResponse().setStatusCode(ex.isNotFound() ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST);
		model.addAttribute("message", ex.getMessage());
		return "admin/error";
	}

	@ExceptionHandler
	String conflict(DataIntegrityViolationException ex, Model model, ServerWebExchange exchange) {
		exchange.getResponse().setStatusCode(HttpStatus.CONFLICT);
		model.addAttribute("message", "The change conflicts with existing data.");
		return "admin/error";
	}

}
