package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * The start parameter of a link that opens one model's card ({@code https://t.me/<bot>?start=m_…}): what an operator
 * puts in an ad for that model, so that the reader lands on it rather than on the menu. Telegram takes 1-64 characters
 * of {@code A-Z a-z 0-9 _ -} there, which a model id ({@code google/nano-banana-edit}) is not, so the parameter is a
 * digest of the id: it stays the same while the model keeps its id, whatever else the catalog does.
 */
public final class ModelLink {
    static final String PREFIX = "m_";
    /** Digest characters kept: 60 bits, no two models of a catalog alike. */
    private static final int DIGEST_CHARS = 10;

    private ModelLink() {
    }

    /**
     * The start parameter that opens {@code model}'s card.
     *
     * @param model a model of the catalog
     * @return {@code m_} and 10 characters of the id's digest
     */
    public static String parameter(Model model) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(model.id().getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, DIGEST_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The model whose card {@code parameter} opens; empty for any other start parameter.
     *
     * @param catalog   the models on sale
     * @param parameter what {@code /start} came with
     * @return the model; empty also for a model no longer in the catalog
     */
    public static Optional<Model> find(Catalog catalog, String parameter) {
        if (!parameter.startsWith(PREFIX) || parameter.length() != PREFIX.length() + DIGEST_CHARS) {
            return Optional.empty();
        }
        return catalog.models().stream().filter(m -> parameter(m).equals(parameter)).findFirst();
    }
}
