package io.tollgate.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Tollgate: the gateway and, unless switched off, the admin console in one process.
 */
@SpringBootApplication(scanBasePackages = "io.tollgate")
public class TollgateApplication {

	public static void main(String[] args) {
		SpringApplication.run(TollgateApplication.class, args);
	}

}
