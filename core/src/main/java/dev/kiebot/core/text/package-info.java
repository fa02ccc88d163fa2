/**
 * Every user-facing text, by key ({@code Msg}), in Russian and English resource bundles ({@code Texts}).
 * Rule: both bundles define every key (tested).
 */
package dev.kiebot.core.text;
