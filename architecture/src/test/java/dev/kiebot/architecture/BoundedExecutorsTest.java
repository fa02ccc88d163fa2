package dev.kiebot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.kiebot.architecture.DependencyRulesTest.CORE;
import static dev.kiebot.architecture.DependencyRulesTest.CORE_TESTING;
import static dev.kiebot.architecture.DependencyRulesTest.KIEBOT;
import static dev.kiebot.architecture.DependencyRulesTest.POLLING;
import static dev.kiebot.architecture.DependencyRulesTest.RUNTIME;
import static dev.kiebot.architecture.DependencyRulesTest.WEBHOOK;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * In core (its {@code ShopWork} runs partners' shops), the runtime and the runners every executor and queue has a
 * bound and every thread a name: the JDK's shortcuts that hide an unbounded queue, and unnamed threads, are not used.
 * core-testing's contract tests race the stores on throwaway pools, and are left out.
 */
class BoundedExecutorsTest {
    /** Executors factories whose queue has no capacity. */
    private static final Set<String> UNBOUNDED_FACTORIES = Set.of("newFixedThreadPool", "newCachedThreadPool",
            "newSingleThreadExecutor", "newWorkStealingPool");
    private static final Set<Class<?>> UNBOUNDED_QUEUES = Set.of(ConcurrentLinkedQueue.class,
            ConcurrentLinkedDeque.class, PriorityBlockingQueue.class);

    @Test
    void noExecutorWithAnUnboundedQueue() {
        noClasses().that().resideInAnyPackage(CORE, RUNTIME, WEBHOOK, POLLING)
                .and().resideOutsideOfPackage(CORE_TESTING)
                .should().callMethodWhere(DescribedPredicate.describe("an Executors factory with an unbounded queue",
                        (JavaMethodCall call) -> call.getTargetOwner().isEquivalentTo(Executors.class)
                                && UNBOUNDED_FACTORIES.contains(call.getName())))
                .because("a queue without a bound turns overload into memory exhaustion")
                .check(KIEBOT);
    }

    @Test
    void noQueueWithoutACapacity() {
        noClasses().that().resideInAnyPackage(CORE, RUNTIME, WEBHOOK, POLLING)
                .and().resideOutsideOfPackage(CORE_TESTING)
                .should().callConstructorWhere(DescribedPredicate.describe("an unbounded queue",
                        (JavaConstructorCall call) -> UNBOUNDED_QUEUES.stream()
                                .anyMatch(q -> call.getTargetOwner().isEquivalentTo(q))
                                || (call.getTargetOwner().isEquivalentTo(LinkedBlockingQueue.class)
                                || call.getTargetOwner().isEquivalentTo(LinkedBlockingDeque.class))
                                && call.getTarget().getRawParameterTypes().stream()
                                .noneMatch(t -> t.isEquivalentTo(int.class))))
                .check(KIEBOT);
    }

    @Test
    void everyThreadHasAName() {
        noClasses().that().resideInAnyPackage(CORE, RUNTIME, WEBHOOK, POLLING)
                .and().resideOutsideOfPackage(CORE_TESTING)
                .should().callConstructorWhere(DescribedPredicate.describe("a thread without a name",
                        (JavaConstructorCall call) -> call.getTargetOwner().isEquivalentTo(Thread.class)
                                && call.getTarget().getRawParameterTypes().stream()
                                .noneMatch(t -> t.isEquivalentTo(String.class))))
                .because("a thread dump must say whose work each thread does")
                .check(KIEBOT);
    }
}
