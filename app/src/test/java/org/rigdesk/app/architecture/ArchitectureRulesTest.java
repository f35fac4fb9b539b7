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

    private static final String[] PAGES = {"org.rigdesk.app.gpus..", "org.rigdesk.app.jobs..",
            "org.rigdesk.app.runner..", "org.rigdesk.app.caches..", "org.rigdesk.app.telemetry..",
            "org.rigdesk.app.host..", "org.rigdesk.app.settings..", "org.rigdesk.app.fleet.."};

    @Test
    void theKitAndTheFormattingStandOnTheirOwn() {
        noClasses().that().resideInAnyPackage("org.rigdesk.app.ui..", "org.rigdesk.app.format..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        java.util.stream.Stream.concat(java.util.Arrays.stream(PAGES),
                                java.util.stream.Stream.of("org.rigdesk.app.shell..", "org.rigdesk.app.tray..",
                                        "org.rigdesk.app.cli..")).toArray(String[]::new))
                .because("every page, the tray and the CLI build on them; they build on none of those")
                .check(APP);
    }

    /**
     * The one page that builds on another's model: Telemetry picks and describes cards from the
     * GPUs page's live cards (one inventory in the window, not two).
     */
    private static final java.util.Map<String, String> MAY_USE = java.util.Map.of(
            "org.rigdesk.app.telemetry..", "org.rigdesk.app.gpus..");

    @Test
    void pagesDoNotBorrowFromEachOtherOrFromTheCompositionRoot() {
        java.util.List<String> broken = new java.util.ArrayList<>();
        for (String page : PAGES) {
            String[] others = java.util.stream.Stream.concat(
                    java.util.Arrays.stream(PAGES).filter(other -> !other.equals(page) && !other.equals(MAY_USE.get(page))),
                    java.util.stream.Stream.of("org.rigdesk.app.shell..", "org.rigdesk.app.tray..")).toArray(String[]::new);
            try {
                noClasses().that().resideInAPackage(page)
                        .should().dependOnClassesThat().resideInAnyPackage(others)
                        .because("what pages share lives in ui, format, status or connection; shell assembles the pages")
                        .check(APP);
            } catch (AssertionError e) {
                broken.add(e.getMessage());
            }
        }
        if (!broken.isEmpty()) {
            throw new AssertionError(String.join("\n\n", broken));
        }
    }

    @Test
    void viewModelsNeverTouchNodes() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..")
                .because("view-models hold properties and are tested without a window")
                .check(APP);
    }

    @Test
    void theRigsAndTheirContextsStandBelowThePages() {
        noClasses().that().resideInAnyPackage("org.rigdesk.app.rigs..", "org.rigdesk.app.contexts..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        java.util.stream.Stream.concat(java.util.Arrays.stream(PAGES),
                                java.util.stream.Stream.of("org.rigdesk.app.shell..", "org.rigdesk.app.tray..",
                                        "org.rigdesk.app.cli..")).toArray(String[]::new))
                .because("the Fleet page, Settings, the switcher and the CLI all build on them")
                .check(APP);
        noClasses().that().resideInAPackage("org.rigdesk.app.contexts..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the CLI reaches rigs through them and never loads JavaFX")
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
