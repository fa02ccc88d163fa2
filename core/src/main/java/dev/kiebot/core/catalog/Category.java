package dev.kiebot.core.catalog;

/** What a model produces; drives menus, delivery kind and the polling deadline. */
public enum Category {
    /** Pictures. */
    IMAGE,
    /** Video clips. */
    VIDEO,
    /** Speech and sound. */
    AUDIO,
    /** Songs. */
    MUSIC;

    /**
     * The name a catalog file and the texts use.
     *
     * @return the name in lower case
     */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
