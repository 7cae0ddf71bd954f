package io.tollgate.billing;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Boots billing alone for its tests. */
@SpringBootApplication
public class BillingTestApplication {

}
