package dev.kiebot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the whole reactor, on the production classes of every module (like buckpal's
 * {@code DependencyRuleTests}): arrows point inward. {@code core} sees only the JDK; the adapters see core and
 * never each other; {@code app-runtime} assembles them; the runners see only {@code app-runtime}.
 */
class DependencyRulesTest {
    static final String CORE = "dev.kiebot.core..";
    /** The test-support artifact partners may use; production code never does. */
    static final String CORE_TESTING = "dev.kiebot.core.testing..";
    static final String TELEGRAM = "dev.kiebot.telegram..";
    static final String KIE = "dev.kiebot.kie..";
    static final String POSTGRES = "dev.kiebot.postgres..";
    static final String RUNTIME = "dev.kiebot.runtime..";
    static final String WEBHOOK = "dev.kiebot.webhook..";
    static final String POLLING = "dev.kiebot.polling..";
    static final List<String> ADAPTERS = List.of(TELEGRAM, KIE, POSTGRES);

    /**
     * kiebot's production classes. The testing artifact (core-testing, on this module's classpath for
     * PartnerSnippetsTest) is left out: its contracts call what a partner's own code calls, such as
     * {@code ExternalTopUps.credit}, which no production class may.
     */
    static final JavaClasses KIEBOT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/dev/kiebot/core/testing/"))
            .importPackages("dev.kiebot");

    @Test
    void everyModuleIsImported() {
        for (String module : List.of(CORE, TELEGRAM, KIE, POSTGRES, RUNTIME, WEBHOOK, POLLING)) {
            String pkg = module.substring(0, module.length() - 2);
            assertThat(KIEBOT.stream().anyMatch(c -> c.getPackageName().startsWith(pkg))).as(module).isTrue();
        }
        assertThat(KIEBOT.contain(DependencyRulesTest.class)).as("production classes only").isFalse();
        assertThat(KIEBOT.containPackage("dev.kiebot.runtime.testing")).as("no test-jar").isFalse();
        assertThat(KIEBOT.containPackage("dev.kiebot.core.testing")).as("not the testing artifact").isFalse();
    }

    @Test
    void coreDependsOnlyOnTheJdk() {
        classes().that().resideInAPackage(CORE).and().resideOutsideOfPackage(CORE_TESTING)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE)
                .because("core is a plain JDK library partners embed")
                .check(KIEBOT);
    }

    @Test
    void coreNeverUsesItsTestingArtifact() {
        noClasses().that().resideInAPackage(CORE).and().resideOutsideOfPackage(CORE_TESTING)
                .should().dependOnClassesThat().resideInAPackage(CORE_TESTING)
                .because("in-memory stores and fakes are for tests, not for the shop")
                .check(KIEBOT);
    }

    @Test
    void adaptersNeverImportEachOther() {
        for (String adapter : ADAPTERS) {
            String[] others = ADAPTERS.stream().filter(a -> !a.equals(adapter)).toArray(String[]::new);
            noClasses().that().resideInAPackage(adapter)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("each adapter implements core's ports on its own; app-runtime combines them")
                    .check(KIEBOT);
        }
    }

    @Test
    void coreAndAdaptersNeverReachOutward() {
        noClasses().that().resideInAnyPackage(CORE, TELEGRAM, KIE, POSTGRES)
                .should().dependOnClassesThat().resideInAnyPackage(RUNTIME, WEBHOOK, POLLING)
                .because("arrows point inward")
                .check(KIEBOT);
    }

    @Test
    void theRuntimesLoopToolsStandOnTheirOwn() {
        classes().that().resideInAPackage("dev.kiebot.runtime.loops..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.slf4j..",
                        "dev.kiebot.runtime.loops..")
                .because("every loop of the runtime (intake, work, health, polling) is built from them, so they know "
                        + "none of those")
                .check(KIEBOT);
    }

    @Test
    void runnersUseOnlyTheRuntime() {
        classes().that().resideInAnyPackage(WEBHOOK, POLLING)
                .should().onlyDependOnClassesThat().resideInAnyPackage(RUNTIME, WEBHOOK, POLLING, "java..",
                        "io.javalin..", "org.slf4j..")
                .because("a runner is a transport: app-runtime offers everything it needs (no pengrad, no "
                        + "PostgreSQL lock, no update translator, no Kie callbacks)")
                .check(KIEBOT);
    }

    @Test
    void runnersNeverUseEachOther() {
        noClasses().that().resideInAPackage(WEBHOOK).should().dependOnClassesThat().resideInAPackage(POLLING)
                .check(KIEBOT);
        noClasses().that().resideInAPackage(POLLING).should().dependOnClassesThat().resideInAPackage(WEBHOOK)
                .check(KIEBOT);
    }

    @Test
    void nothingButTheRunnersDependsOnTheRunners() {
        noClasses().that().resideOutsideOfPackages(WEBHOOK, POLLING)
                .should().dependOnClassesThat().resideInAnyPackage(WEBHOOK, POLLING)
                .check(KIEBOT);
    }
}
