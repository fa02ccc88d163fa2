package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where /support, /help and /paysupport send a user. The defaults name no contact (an account like «@support» is
 * somebody else's): the way is then /paysupport, whose messages reach the admins; a contact the shop gives is shown
 * and offered as another way.
 */
class SupportContactTest {
    private static final long U = 7;

    private static ShopHarness russian(ShopSettings settings) {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), settings);
        h.speaking("ru");
        h.command(U, "start");
        return h;
    }

    private static List<Reply> to(List<Reply> replies, long chat) {
        return replies.stream().filter(r -> r.chatId() == chat).toList();
    }

    @Test
    void withoutAContactTheWayIsPaySupportWhichReachesTheAdmins() {
        ShopHarness h = russian(ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN)));
        String way = "/paysupport — напишите любой вопрос, ответ придёт сюда.";
        assertThat(lastText(h.command(U, "support"))).isEqualTo("Поддержка: " + way);
        assertThat(lastText(h.command(U, "help"))).endsWith("\n💬 Поддержка: " + way);
        String prompt = lastText(h.command(U, "paysupport"));
        // the way to write to the admins, about a payment or anything else (deleting one's data, say)
        assertThat(prompt).startsWith("Опишите вопрос одним сообщением — об оплате или любой другой. Его получат администраторы."
                + " Если вопрос о платеже, укажите, что и когда вы оплатили, что пошло не так, а также номер генерации"
                + " (gen_…) или время платежа.\n\n✍️ Жду вашего сообщения")
                .doesNotContain("@", "Контакт");
        List<Reply> sent = h.text(U, "Оплатил 50 звёзд, баланс не изменился");
        assertThat(lastText(to(sent, U))).matches("✅ Обращение\u00A0№\u00A0\\d+ отправлено в поддержку\\. Ответ придёт сюда, в этот чат\\.");
        assertThat(to(sent, ShopHarness.ADMIN)).isNotEmpty();
    }

    /** With nobody to write to, /support says so rather than send the user to a ticket no admin gets. */
    @Test
    void withoutAContactOrAnAdminSupportSaysItIsNotSetUp() {
        ShopHarness h = russian(ShopSettings.defaults());
        assertThat(lastText(h.command(U, "support"))).isEqualTo("Поддержка: пока не подключена");
    }

    @Test
    void aContactIsShownAndOfferedAsAnotherWay() {
        ShopHarness h = russian(ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withSupport("@shop_help", Optional.of("Отвечаем с 10 до 19")));
        assertThat(lastText(h.command(U, "support"))).isEqualTo("Поддержка: @shop_help\nОтвечаем с 10 до 19");
        assertThat(lastText(h.command(U, "help"))).endsWith("\n💬 Поддержка: @shop_help\nОтвечаем с 10 до 19");
        assertThat(lastText(h.command(U, "paysupport"))).startsWith("Опишите вопрос одним сообщением — об оплате или любой"
                + " другой. Его получат администраторы. Если вопрос о платеже, укажите, что и когда вы оплатили, что"
                + " пошло не так, а также номер генерации (gen_…) или время платежа. Можно также написать @shop_help.\n"
                + "Отвечаем с 10 до 19\n\n✍️ Жду вашего сообщения");
        List<Reply> sent = h.text(U, "Оплатил 50 звёзд, баланс не изменился");
        assertThat(lastText(to(sent, U)))
                .matches("✅ Обращение\u00A0№\u00A0\\d+ отправлено в поддержку\\. Ответ придёт сюда, в этот чат\\. Можно также написать"
                        + " @shop_help\\.");
    }
}
