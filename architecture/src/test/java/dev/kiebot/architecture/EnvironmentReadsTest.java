package dev.kiebot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import org.junit.jupiter.api.Test;

/**
 * Where the bot reads its environment: the configuration ({@code Settings}, through its {@code Env}, whose every read
 * {@code ConfigurationTableTest} holds to README's configuration table) and {@code BuildInfo} (Render's commit, its
 * row held by {@code BuildInfoTest}). A variable read anywhere else would be in no table and validated nowhere, as
 * README promises none is ("the adapters and runners never read the environment").
 */
class EnvironmentReadsTest {
    private static final String SETTINGS = "dev.kiebot.runtime.config.Settings";
    private static final String BUILD_INFO = "dev.kiebot.runtime.BuildInfo";

    /** {@code System.getenv()} and {@code getenv(name)}, called or passed as {@code System::getenv}. */
    private static final DescribedPredicate<JavaAccess<?>> READS_THE_ENVIRONMENT = DescribedPredicate.describe(
            "System.getenv", a -> a.getTargetOwner().isEquivalentTo(System.class) && a.getName().equals("getenv"));

    @Test
    void onlyTheConfigurationAndTheBuildsCommitReadTheEnvironment() {
        noClasses().that().doNotHaveFullyQualifiedName(SETTINGS).and().doNotHaveFullyQualifiedName(BUILD_INFO)
                .should().accessTargetWhere(READS_THE_ENVIRONMENT)
                .because("a variable read elsewhere is in no README table and validated nowhere: read it in the "
                        + "config package's Settings, through Env")
                .check(DependencyRulesTest.KIEBOT);
    }
}
