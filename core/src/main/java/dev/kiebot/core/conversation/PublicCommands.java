package dev.kiebot.core.conversation;

import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.List;

/** The commands a user finds in Telegram's command menu, described in the user's language. */
public final class PublicCommands {
    /**
     * One command of the menu: its name without the slash, and what it does.
     *
     * @param name        lower-case, without the slash
     * @param description what it does, in the reader's language (Telegram's {@code setMyCommands})
     */
    public record Command(String name, String description) {
    }

    /**
     * In the menu's order; each one is a command the conversation answers. {@code terms} and {@code paysupport}
     * are listed because Telegram's rules for bots that take payments want them findable by every user.
     */
    public static final List<String> NAMES = List.of("menu", "popular", "status", "balance", "payments", "topup",
            "history", "help", "language", "support", "terms", "paysupport");

    private PublicCommands() {
    }

    /** Listed after {@code topup} when the shop offers invitations ({@link ReferralBonus#offered()}). */
    public static final String INVITE = "invite";

    /**
     * The menu of a shop without invitations.
     *
     * @param texts    the shop's texts
     * @param language {@code ru} or {@code en}
     * @return the commands in the menu's order
     */
    public static List<Command> in(Texts texts, String language) {
        return in(texts, language, false);
    }

    /**
     * The menu of a shop.
     *
     * @param texts       the shop's texts
     * @param language    {@code ru} or {@code en}
     * @param invitations whether the shop offers invitation links ({@code ShopSettings.referral().offered()})
     * @return the commands in the menu's order
     */
    public static List<Command> in(Texts texts, String language, boolean invitations) {
        List<String> names = new java.util.ArrayList<>(NAMES);
        if (invitations) {
            names.add(names.indexOf("topup") + 1, INVITE);
        }
        return described(texts, language, names);
    }

    /**
     * The admin commands an admin's own menu lists after the public ones, in the dashboard's order; each one is an
     * admin command of the conversation.
     */
    public static final List<String> ADMIN_NAMES = List.of("admin", "find", "users", "tickets", "reply", "refund",
            "refund_stars", "reconcile_stars", "topup_user", "debit_user", "pause", "resume", "chart", "export",
            "broadcast", "link",
            "ban", "unban", "forget");

    /**
     * The menu of an admin's own chat: Telegram's list for one chat ({@code BotCommandScopeChat}) replaces the
     * everybody's one there, so it is that menu and then {@link #ADMIN_NAMES}. Without it an admin found the admin
     * commands nowhere but in the dashboard.
     *
     * @param texts       the shop's texts
     * @param language    {@code ru} or {@code en}
     * @param invitations whether the shop offers invitation links
     * @return the public commands, then the admin ones
     */
    public static List<Command> forAdmins(Texts texts, String language, boolean invitations) {
        List<Command> all = new java.util.ArrayList<>(in(texts, language, invitations));
        all.addAll(described(texts, language, ADMIN_NAMES));
        return List.copyOf(all);
    }

    private static List<Command> described(Texts texts, String language, List<String> names) {
        return names.stream().map(n -> new Command(n, texts.get(language, Msg.valueOf("COMMAND_" + n.toUpperCase(
                java.util.Locale.ROOT))))).toList();
    }
}
