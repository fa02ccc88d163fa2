package dev.kiebot.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.testing.TestCatalog;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A partner's wrapper of a provider that overrides one call (a count of the two-argument {@code statusOnce}) still
 * hands the worker's reads on with the job's choices: written against the port itself, its default three-argument
 * {@code statusOnce} read through the wrapper's two-argument one and dropped them, and Kie's Veo never fetched the
 * 1080p file a job paid for.
 */
class ForwardingGenerationProviderTest {
    /** The wrapped provider: what each read of it was asked with. */
    private static final class Recording implements GenerationProvider {
        final List<Map<String, String>> chosen = new ArrayList<>();

        @Override
        public String submit(SubmitRequest request) {
            return "task-1";
        }

        @Override
        public TaskStatus status(Model model, String taskId) {
            return new TaskStatus.Running();
        }

        @Override
        public TaskStatus statusOnce(Model model, String taskId, Map<String, String> asked) {
            chosen.add(asked);
            return status(model, taskId);
        }

        @Override
        public String upload(byte[] content, String fileName, String mimeType) {
            return "https://files/" + fileName;
        }
    }

    @Test
    void aWrapperOverridingOneReadStillForwardsTheJobsChoices() throws ProviderException {
        Recording real = new Recording();
        AtomicInteger counted = new AtomicInteger();
        GenerationProvider wrapper = new ForwardingGenerationProvider(real) {
            @Override
            public TaskStatus statusOnce(Model model, String taskId) throws ProviderException {
                counted.incrementAndGet();
                return super.statusOnce(model, taskId);
            }
        };

        wrapper.statusOnce(TestCatalog.video(), "task-1", Map.of("resolution", "1080p"));

        assertThat(real.chosen).as("the choices reach the provider wrapped").containsExactly(
                Map.of("resolution", "1080p"));
        assertThat(counted).as("the worker's reads take the three-argument call, past an override of the two-argument "
                + "one: a wrapper that watches reads overrides the three-argument statusOnce (its javadoc says so)")
                .hasValue(0);
    }

    /** Every call of the port, those with a default too, is forwarded: a wrapper passes on what it does not change. */
    @Test
    void everyCallOfThePortIsForwarded() {
        List<String> notForwarded = Arrays.stream(GenerationProvider.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !declaredBy(ForwardingGenerationProvider.class, m))
                .map(Method::toString).toList();
        assertThat(notForwarded).isEmpty();
    }

    private static boolean declaredBy(Class<?> type, Method m) {
        try {
            return type.getDeclaredMethod(m.getName(), m.getParameterTypes()).getDeclaringClass() == type;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
