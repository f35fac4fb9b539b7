package org.rigdesk.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's rules for the app, as the build checks them (main code only). */
class ArchitectureRulesTest {

    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.rigdesk.app");

    @Test
    void theAppSharesOnlyTheApiWithTheDaemon() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.rigdesk.daemon..").check(APP);
    }

    @Test
    void theAppsTestsBuildOnTheTestKitNotOnTheDaemonsCode() {
        JavaClasses withTests = new ClassFileImporter().importPackages("org.rigdesk.app");
        noClasses().should().dependOnClassesThat().resideInAPackage("org.rigdesk.daemon..")
                .because("the daemon is started as a process (rigdesk-testkit's DaemonProcess), never linked")
                .check(withTests);
    }

    @Test
    void viewModelsNeverTouchNodes() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..")
                .because("view-models hold properties and are tested without a window")
                .check(APP);
    }

    @Test
    void theCliLoadsNoJavaFx() {
        noClasses().that().resideInAPackage("org.rigdesk.app.cli..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .check(APP);
    }

    @Test
    void viewModelsTalkToTheDaemonThroughRigdeskApi() {
        classes().that().haveSimpleNameEndingWith("ViewModel")
                .should().onlyDependOnClassesThat().resideOutsideOfPackage("okhttp3..")
                .check(APP);
    }
}
