/**
 * Pacing rules as pure values: {@code TokenBucket} (the state a store keeps) and {@code ChatPacing} (how fast one
 * chat may receive messages). {@code dev.kiebot.core.intake.AdmissionPolicy} uses the same bucket for the
 * per-user inbound limit.
 */
package dev.kiebot.core.pacing;
