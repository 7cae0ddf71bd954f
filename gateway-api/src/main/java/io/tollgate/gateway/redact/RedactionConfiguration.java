package io.tollgate.gateway.redact;

import java.util.Set;

import io.tollgate.billing.admin.RedactionPolicyCheck;
import io.tollgate.routing.redact.PiiType;
import io.tollgate.routing.redact.Redactor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets the admin services check redaction policies against the detectors this gateway
 * has.
 */
@Configuration(proxyBeanMethods = false)
class RedactionConfiguration {

	@Bean
	RedactionPolicyCheck redactionPolicyCheck() {
		return (policy) -> {
			for (String name : policy.entities()) {
				PiiType.fromWireName(name)
					.filter((type) -> type != PiiType.CUSTOM)
					.orElseThrow(() -> new IllegalArgumentException("Unknown entity '" + name + "'"));
			}
			Redactor.of(Set.of(), policy.custom());
		};
	}

}
