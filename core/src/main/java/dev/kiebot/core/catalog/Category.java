package dev.kiebot.core.catalog;

/** What a model produces; drives menus, delivery kind and the polling deadline. */
public enum Category {
    IMAGE, VIDEO, AUDIO, MUSIC;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
