package io.tollgate.admin;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Boots the admin plane over billing, without the gateway, for admin-web's tests. */
@SpringBootApplication(scanBasePackages = { "io.tollgate.admin", "io.tollgate.billing.config",
		"io.tollgate.billing.coordination", "io.tollgate.billing.admin", "io.tollgate.billing.alerts",
		"io.tollgate.billing.tenantuser", "io.tollgate.billing.redemption", "io.tollgate.billing.tenantview",
		"io.tollgate.billing.secondfactor" })
public class AdminTestApplication {

}
