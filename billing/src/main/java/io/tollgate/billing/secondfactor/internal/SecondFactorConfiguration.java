package io.tollgate.billing.secondfactor.internal;

import java.time.Clock;

import io.tollgate.billing.admin.internal.AdminSupport;
import io.tollgate.billing.crypto.CredentialCipher;
import io.tollgate.billing.secondfactor.SecondFactors;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * TOTP second factors of console and tenant users.
 */
@Configuration(proxyBeanMethods = false)
public class SecondFactorConfiguration {

	/** The issuer authenticator apps show next to the account. */
	static final String ISSUER = "Tollgate";

	@Bean
	SecondFactors secondFactors(AdminSupport support, CredentialCipher cipher) {
		return new SecondFactors(support, cipher, Clock.systemUTC(), ISSUER);
	}

}
