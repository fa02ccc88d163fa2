/**
 * Kie.ai adapter: {@link dev.kiebot.kie.KieProvider} (the {@code GenerationProvider} over Kie's jobs,
 * Veo and Suno APIs, file upload and credits), {@link dev.kiebot.kie.InputMapper} (schema-typed
 * inputs and their validation), {@link dev.kiebot.kie.KieCallbacks} (callback task ids and HMAC
 * checks), {@link dev.kiebot.kie.PollSchedule} (when to poll, when to give up),
 * and {@link dev.kiebot.kie.StubProvider} (offline dry runs); Kie's models with their prices and labels are
 * {@link dev.kiebot.kie.catalog.KieCatalog}'s. The module reads no environment: the
 * runtime hands it a {@link dev.kiebot.kie.KieConfig} or a {@link dev.kiebot.kie.StubConfig}.
 */
package dev.kiebot.kie;
