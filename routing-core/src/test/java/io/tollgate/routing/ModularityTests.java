package io.tollgate.routing;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ModularityTests {

	@Test
	void routingCoreImportsNoSpring() {
		var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.tollgate.routing");
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "io.tollgate.billing..", "io.tollgate.gateway..",
					"io.tollgate.admin..")
			.check(classes);
	}

}
