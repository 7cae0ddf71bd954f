package io.tollgate.admin.api;

import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.usage.QuarantinedUsage;
import io.tollgate.billing.usage.UsageQuarantine;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API for the usage quarantine: finished requests whose usage could not be stored,
 * most recently quarantined first. Read-only; ADMIN and FINANCE may read it.
 */
@RestController
@ConsoleEnabled
@RequestMapping("/api/admin")
class QuarantineApi {

	private final UsageQuarantine quarantine;

	QuarantineApi(UsageQuarantine quarantine) {
		this.quarantine = quarantine;
	}

	@GetMapping("/usage/quarantine")
	Mono<List<QuarantinedUsage>> quarantine(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "100") int size) {
		return this.quarantine.page(Math.max(page, 0), Math.min(Math.max(size, 1), 1000));
	}

}
