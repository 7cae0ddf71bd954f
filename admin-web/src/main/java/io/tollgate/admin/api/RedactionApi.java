package io.tollgate.admin.api;

import java.security.Principal;
import java.util.List;

import io.tollgate.admin.config.ConsoleEnabled;
import io.tollgate.billing.admin.RedactionAdmin;
import io.tollgate.billing.admin.RedactionSetting;
import io.tollgate.billing.directory.RedactionPolicy;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API for PII redaction policies of groups and keys.
 */
@RestController
@ConsoleEnabled
@RequestMapping("/api/admin")
class RedactionApi {

	private final RedactionAdmin redaction;

	RedactionApi(RedactionAdmin redaction) {
		this.redaction = redaction;
	}

	@GetMapping("/redaction")
	Mono<List<RedactionSetting>> list() {
		return this.redaction.list();
	}

	@PutMapping("/groups/{id}/redaction")
	Mono<RedactionSetting> setForGroup(@PathVariable long id, @RequestBody Policy policy, Principal principal) {
		return this.redaction.setForGroup(id, policy.toPolicy(), principal.getName());
	}

	@PutMapping("/keys/{id}/redaction")
	Mono<RedactionSetting> setForKey(@PathVariable long id, @RequestBody Policy policy, Principal principal) {
		return this.redaction.setForKey(id, policy.toPolicy(), principal.getName());
	}

	@DeleteMapping("/groups/{id}/redaction")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> clearForGroup(@PathVariable long id, Principal principal) {
		return this.redaction.clear("group", id, principal.getName());
	}

	@DeleteMapping("/keys/{id}/redaction")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> clearForKey(@PathVariable long id, Principal principal) {
		return this.redaction.clear("key", id, principal.getName());
	}

	/**
	 * A policy as the API takes it.
	 *
	 * @param mode {@code off}, {@code allowed} or {@code enforced}
	 * @param entities entity names masked when enforced
	 * @param custom custom terms and {@code /patterns/} masked when enforced
	 */
	record Policy(String mode, List<String> entities, List<String> custom) {

		RedactionPolicy toPolicy() {
			return new RedactionPolicy(RedactionPolicy.Mode.of(this.mode),
					(this.entities != null) ? this.entities : List.of(),
					(this.custom != null) ? this.custom : List.of());
		}

	}

}
