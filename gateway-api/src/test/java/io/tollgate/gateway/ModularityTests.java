package io.tollgate.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The arrows between Tollgate's modules: gateway-api depends on the others, nothing
 * depends on it; routing-core is plain Java; admin-web reaches billing only through its
 * public API, never its internals.
 */
class ModularityTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.tollgate");

	@Test
	void nothingDependsOnTheGateway() {
		noClasses().that()
			.resideOutsideOfPackage("io.tollgate.gateway..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tollgate.gateway..")
			.check(this.classes);
	}

	@Test
	void routingCoreImportsNoSpringAndNoOtherModule() {
		noClasses().that()
			.resideInAPackage("io.tollgate.routing..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "io.tollgate.billing..", "io.tollgate.admin..",
					"io.tollgate.gateway..", "reactor.netty..")
			.check(this.classes);
	}

	@Test
	void billingKnowsNothingOfTheWebOrOfRouting() {
		noClasses().that()
			.resideInAPackage("io.tollgate.billing..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tollgate.routing..", "io.tollgate.admin..", "org.springframework.web..")
			.check(this.classes);
	}

	@Test
	void adminReachesBillingOnlyThroughItsPublicApi() {
		noClasses().that()
			.resideInAPackage("io.tollgate.admin..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tollgate.billing..internal..")
			.allowEmptyShould(true)
			.check(this.classes);
	}

	@Test
	void gatewayReachesBillingOnlyThroughItsPublicApi() {
		noClasses().that()
			.resideInAPackage("io.tollgate.gateway..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tollgate.billing..internal..")
			.check(this.classes);
	}

}
