/**
 * Every user-facing text, by key ({@code Msg}), in Russian and English resource bundles ({@code Texts}).
 * Rule: both bundles define every key (tested). Beside them, how a user's own words are shown: shortened to fit
 * ({@code Snippet}), kept on their line where admins read them beside the bot's facts ({@code OneLine}), numbers as
 * the language writes them ({@code Plural}), dates as a Russian reads them ({@code ShownTime}).
 *
 * <p>For a partner: {@code shop.texts().get(language, Msg.KEY, args)} gives a text of the shop, e.g. for a message of
 * your own through {@code shop.outbox().send}; the texts are core's, in {@code ru} and {@code en}, and a shop
 * replaces any of them with its own ({@code TextOverrides}, given to {@code Shop.builder().texts}), which
 * {@code shop.texts()} gives in their place.
 *
 * <p>Not partner API: {@code Snippet}, {@code OneLine}, {@code Plural} and {@code ShownTime}, public only because the
 * shop's services and the conversation shape their texts with them. They are listed apart in the architecture
 * module's {@code core-public-types.txt}, and may change in any release without a line in the CHANGELOG.
 */
package dev.kiebot.core.text;
