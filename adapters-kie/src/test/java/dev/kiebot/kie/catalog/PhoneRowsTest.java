package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No button of a keyboard the shipped catalog shows a Russian user is cut on a phone: its label no longer than a
 * 360-px screen shows of a button alone on its row (about 36 characters), in a row of two (22) or of three (14). Walks
 * the menus, the commands, every section's pages and every model's card and questions to its confirmation (review R5:
 * «📤 Прислать gen_12» three a row, «✅ Принимаю и оплачиваю 1 500 ₽» beside «🏠 Меню» were cut).
 */
class PhoneRowsTest {
    private static final long USER = 77;
    private final Catalog catalog = KieCatalog.fromClasspath();
    private final List<String> cut = new ArrayList<>();

    static int limit(int perRow) {
        return switch (perRow) {
            case 1 -> 36;
            case 2 -> 22;
            case 3 -> 14;
            default -> 10;
        };
    }

    @Test
    void noButtonIsCutOnAPhone() {
        ShopHarness h = new ShopHarness(catalog, ShopSettings.defaults()).speaking("ru");
        all("/start", h.command(USER, "start"));
        h.topUp(USER, 10_000_000);
        for (Category c : Category.values()) {
            int pages = (catalog.models(c).size() + ShopSettings.PAGE_SIZE - 1) / ShopSettings.PAGE_SIZE;
            for (String shelf : List.of("", ":t", ":f")) {
                for (int p = 0; p < pages; p++) {
                    h.clock.advance(java.time.Duration.ofSeconds(5));
                    all("list " + c + shelf + " p" + p, h.press(USER, "*|p|" + c.name() + ":" + p + shelf));
                }
            }
        }
        for (String cmd : List.of("menu", "popular", "balance", "topup", "help", "history", "payments", "invite",
                "terms", "privacy", "language", "status")) {
            h.clock.advance(java.time.Duration.ofSeconds(5));
            all("/" + cmd, h.command(USER, cmd));
        }
        for (Model m : catalog.models()) {
            walk(m);
        }
        assertThat(cut).isEmpty();
    }

    private void all(String where, List<Reply> replies) {
        for (Reply r : replies) {
            Keyboard kb = r instanceof Reply.SendText t ? t.keyboard() : r instanceof Reply.EditText e ? e.keyboard()
                    : r instanceof Reply.SendMedia m ? m.keyboard() : Keyboard.NONE;
            for (List<Button> row : kb.rows()) {
                for (Button b : row) {
                    if (b.text().codePointCount(0, b.text().length()) > limit(row.size())) {
                        cut.add(where + ": «" + b.text() + "» in a row of " + row.size());
                    }
                }
            }
        }
    }

    private void walk(Model m) {
        ShopHarness h = new ShopHarness(catalog, ShopSettings.defaults()).speaking("ru");
        h.command(USER, "start");
        h.topUp(USER, 10_000_000);
        all(m.id() + " card", h.press(USER, "*|v|" + m.id()));
        List<Reply> replies = h.press(USER, "*|g|" + m.id());
        for (int step = 0; step < 20; step++) {
            String where = m.id() + " step " + step;
            all(where, replies);
            if (!(h.session(USER).state() instanceof ChatState.Collecting c)) {
                return;
            }
            InputField f = m.askedFields().get(c.field());
            replies = QuestionAnswers.answer(h, USER, f, replies, "ru");
        }
    }
}
