package org.rigdesk.daemon.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.rigdesk.daemon.http.Router;

/** ARCHITECTURE.md's rules for the daemon, as the build checks them (main code only). */
class ArchitectureRulesTest {

    private static final JavaClasses DAEMON = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.rigdesk.daemon");

    /** A route class (or a class nested in one), an endpoint, or the wiring in {@code Daemon}. */
    private static final DescribedPredicate<JavaClass> ROUTES = DescribedPredicate.describe(
            "*Routes, *Endpoint or Daemon", type -> {
                JavaClass top = type;
                while (top.getEnclosingClass().isPresent()) {
                    top = top.getEnclosingClass().get();
                }
                String name = top.getSimpleName();
                return name.endsWith("Routes") || name.endsWith("Endpoint")
                        || top.getName().equals("org.rigdesk.daemon.Daemon");
            });

    @Test
    void theDaemonNeverLoadsJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAPackage("javafx..").check(DAEMON);
    }

    @Test
    void onlyRoutesAndTheWiringTouchTheHttpLayer() {
        noClasses().that().resideOutsideOfPackage("org.rigdesk.daemon.http..").and(DescribedPredicate.not(ROUTES))
                .should().dependOnClassesThat().resideInAPackage("org.rigdesk.daemon.http..")
                .because("capabilities take and return domain values and throw DomainException; routes turn "
                        + "requests into calls")
                .check(DAEMON);
    }

    @Test
    void pathsAreRegisteredOnlyInRoutes() {
        noClasses().that().resideOutsideOfPackage("org.rigdesk.daemon.http..")
                .and(DescribedPredicate.not(ROUTES.and(DescribedPredicate.describe("not Daemon",
                        type -> !type.getName().equals("org.rigdesk.daemon.Daemon")))))
                .should().callMethodWhere(DescribedPredicate.describe("Router.add…", call ->
                        call.getTargetOwner().isEquivalentTo(Router.class) && call.getName().startsWith("add")))
                .check(DAEMON);
    }

    @Test
    void onlyTheHttpLayerKnowsJetty() {
        noClasses().that().resideOutsideOfPackage("org.rigdesk.daemon.http..").and(DescribedPredicate.not(ROUTES))
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
                .check(DAEMON);
    }

    @Test
    void capabilitiesDoNotDependOnEachOtherInCircles() {
        slices().matching("org.rigdesk.daemon.(*)..").should().beFreeOfCycles().check(DAEMON);
    }

    @Test
    void theConfigurationHoldsPlainValuesNotCapabilityTypes() {
        noClasses().that().haveNameMatching("org\\.rigdesk\\.daemon\\.DaemonConfig(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("org.rigdesk.daemon.*..")
                .because("Daemon makes each capability's settings from its group; a capability type here "
                        + "closed a package loop")
                .check(DAEMON);
    }

    @Test
    void capabilitiesDoNotReachBackIntoTheWiring() {
        noClasses().that().resideInAPackage("org.rigdesk.daemon.*..")
                .should().dependOnClassesThat().resideInAPackage("org.rigdesk.daemon")
                .check(DAEMON);
    }
}
