package io.tollgate.admin.portal.api;

import java.util.Map;

import io.tollgate.billing.admin.AdminException;
import io.tollgate.billing.tenantview.OwnerOnly;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/** Tenant API errors as {@code {"error": message}} with 400, 403, 404 or 409. */
@RestControllerAdvice(basePackageClasses = TenantApiErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class TenantApiErrors {

	@ExceptionHandler
	ResponseEntity<Map<String, String>> invalid(AdminException ex) {
		return ResponseEntity.status(ex.isNotFound() ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST)
			.body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> ownerOnly(OwnerOnly ex) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> conflict(DataIntegrityViolationException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(Map.of("error", "The change conflicts with existing data"));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> input(ServerWebInputException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(ex.getReason())));
	}

}
