package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.PublicCommands;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A crawler over every screen the shipped catalog's bot shows a Russian user, and its admin. From /start, /admin and
 * every command of the persistent menu it presses, breadth first, every inline button of every screen it reaches, each
 * on the screen as it was just shown (the chat's saved state put back before the press); it answers the questions a
 * button does not (a description, a photo, a clip, an amount, a question to support), and runs each job a
 * «Сгенерировать» starts to its end (delivered, or failed as a provider fails, in turn) to crawl the result's screens
 * too. A screen is crawled on once for its state and its buttons (a model's question, whatever was answered before),
 * so the walk ends. Each screen is checked by machine, each kind of finding a list asserted empty by one test:
 * <ul>
 *   <li>a: no button of a fresh screen is answered «outdated» or with the internal error;
 *   <li>b: every keyboard has a way on (the menu, a section, «Назад», «Отмена»); every message a user is sent has a
 *       button, as a Russian shop bot puts «🏠 Меню» under a message that ends a step (the persistent menu's /menu
 *       is easy to miss), but for the exceptions {@link #buttonless} names;
 *   <li>c: callback data within Telegram's 64 bytes (Button refuses more, so this holds by construction);
 *   <li>d: labels that fit a phone, {@link PhoneRowsTest#limit}: a 360-px screen shows about 36 characters of a button
 *       alone on its row, 22 in a row of two, 14 in a row of three (measured in review R5); no two alike on a screen;
 *   <li>e: Telegram's limits: 4,096 characters a message, 1,024 a caption, 200 a button's answer, an invoice's title
 *       32 and description 255;
 *   <li>f: no API words on a Russian screen: snake_case or camelCase, «null», «Optional», braces (a placeholder left),
 *       two spaces, a line starting in lower case, a Latin word that is not a proper name (the models' names from the
 *       catalog's titles, their makers', the platforms');
 *   <li>g: a count and a counted noun that disagree («1 генераций»);
 *   <li>h: every model of the catalog has a card the menu's buttons lead to;
 *   <li>j: a summary's value after its colon («• Качество: базовое») goes on in lower case, as a Russian sentence
 *       does, unless it starts with a digit («1:1»), in Latin (a proper name, an acronym: «Full HD») or is a Cyrillic
 *       acronym or a person's name (a voice's, marked ♂ or ♀).
 * </ul>
 * The test prints a short report (counts and the first findings of each kind). {@code -Dkiebot.crawl.english=true}
 * crawls the English screens too (labels, limits, answers); {@code -Dkiebot.crawl.dump=<file>} writes every text met,
 * once, with its buttons, to read by eye.
 */
class ScreenCrawlTest {
    private static final long USER = 42;
    private static final long ADMIN = ShopHarness.ADMIN;
    /** Presses along one path, past a screen /start or a command showed: a model's ten questions fit. */
    private static final int MAX_DEPTH = 16;
    private static final int MAX_PRESSES = 20_000;

    private static final Catalog CATALOG = KieCatalog.fromClasspath();
    /** How the crawl's jobs end, in turn: delivered, or failed as the provider says. */
    private static final List<Optional<dev.kiebot.core.jobs.ErrorKind>> ENDS = List.of(Optional.empty(),
            Optional.of(dev.kiebot.core.jobs.ErrorKind.GENERATION_FAILED), Optional.empty(),
            Optional.of(dev.kiebot.core.jobs.ErrorKind.CONTENT_POLICY), Optional.empty(),
            Optional.of(dev.kiebot.core.jobs.ErrorKind.INVALID_INPUT), Optional.empty(),
            Optional.of(dev.kiebot.core.jobs.ErrorKind.AUTH));
    private static final Texts TEXTS = new Texts();
    /** What the crawl types where a description is asked, and to support. */
    private static final String TYPED = "рыжий кот в шляпе";
    private static final String TICKET = "Не пришёл результат";
    /** Each kind of finding, each finding once, in the order met. */
    private static final Map<String, Set<String>> FOUND = new LinkedHashMap<>();
    /** The menu's screens (/start's, /menu's): where {@link #reachable} starts. */
    private static final String MENU = "menu";
    /** Each evergreen button's data (and {@link #MENU}) → the data of the buttons its press showed. */
    private static final Map<String, Set<String>> LEADS = new java.util.HashMap<>();
    private static int presses;
    /** Each text and label checked once: the menu comes back hundreds of times. */
    private static final Set<String> CHECKED = new HashSet<>();
    /** With {@code -Dkiebot.crawl.dump=<file>}, every text the crawl met, once, with its buttons: to read by eye. */
    private static final String DUMP_TO = System.getProperty("kiebot.crawl.dump");
    private static final StringBuilder DUMP = new StringBuilder();
    private static int screens;
    private static boolean crawled;

    /** A screen reached: where from, the chat's saved state just after it was shown, its keyboard, the path's depth. */
    private record Node(String where, String state, String kind, Keyboard keyboard, int depth) {
    }

    private static synchronized void crawl() {
        if (crawled) {
            return;
        }
        crawled = true;
        long started = System.nanoTime();
        new Crawler(USER, false, "ru").run();
        new Crawler(ADMIN, true, "ru").run();
        if (Boolean.getBoolean("kiebot.crawl.english")) {
            Crawler.pressed.clear();
            Crawler.expanded.clear();
            new Crawler(USER + 1, false, "en").run(); // labels, limits and answers of the English screens
        }
        Set<String> cards = reachable();
        Set<String> missing = new TreeSet<>();
        CATALOG.models().forEach(m -> missing.add(m.id()));
        missing.removeAll(cards);
        missing.forEach(id -> found("h: a model no button of the menu leads to", id));
        StringBuilder report = new StringBuilder("Screen crawl" + (presses >= MAX_PRESSES ? " (cut at its bound)"
                : "") + ": " + presses + " presses and answers, " + screens
                + " screens, " + cards.size() + " of " + CATALOG.models().size() + " models' cards, in "
                + (System.nanoTime() - started) / 1_000_000 + " ms\n");
        FOUND.forEach((kind, items) -> {
            report.append("  ").append(kind).append(": ").append(items.size()).append('\n');
            items.stream().limit(12).forEach(i -> report.append("    ").append(i).append('\n'));
        });
        System.out.println(report);
        if (DUMP_TO != null) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(DUMP_TO), DUMP);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The models whose card, or «Начать», a chain of buttons from the menu's screens leads to. */
    private static Set<String> reachable() {
        Set<String> seen = new HashSet<>(Set.of(MENU));
        Deque<String> next = new ArrayDeque<>(seen);
        Set<String> models = new HashSet<>();
        while (!next.isEmpty()) {
            for (String data : LEADS.getOrDefault(next.poll(), Set.of())) {
                Optional<CallbackData> d = CallbackData.parse(data);
                d.filter(x -> x.named().filter(a -> a == CallbackAction.MODEL_CARD
                        || a == CallbackAction.START_INPUTS).isPresent()).ifPresent(x -> models.add(x.arg()));
                if (seen.add(data)) {
                    next.add(data);
                }
            }
        }
        return models;
    }

    private static void found(String kind, String what) {
        FOUND.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(what);
    }

    private static Set<String> findings(String kindPrefix) {
        crawl();
        return FOUND.entrySet().stream().filter(e -> e.getKey().startsWith(kindPrefix))
                .flatMap(e -> e.getValue().stream().map(v -> e.getKey() + " — " + v))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Test
    void theCrawlReachesEveryModelAndManyScreens() {
        crawl();
        assertThat(screens).as("screens the crawl checked").isGreaterThan(500);
        assertThat(presses).as("presses, below the bound that would leave screens unchecked")
                .isLessThan(MAX_PRESSES);
        assertThat(findings("h:")).isEmpty();
    }

    @Test
    void everyButtonOfAFreshScreenAnswers() {
        assertThat(findings("a:")).isEmpty();
    }

    @Test
    void everyScreenHasAWayBackToTheMenu() {
        assertThat(PublicCommands.NAMES).as("the persistent menu's commands").contains("menu");
        assertThat(findings("b:")).isEmpty();
    }

    @Test
    void callbackDataFitTelegramsLimit() {
        assertThat(findings("c:")).isEmpty();
    }

    @Test
    void labelsFitAPhoneAndDifferOnAScreen() {
        assertThat(findings("d:")).isEmpty();
    }

    @Test
    void noTextPassesTelegramsLimits() {
        assertThat(findings("e:")).isEmpty();
    }

    @Test
    void noApiWordOnARussianScreen() {
        assertThat(findings("f:")).isEmpty();
    }

    @Test
    void summaryValuesGoOnInLowerCase() {
        assertThat(findings("j:")).isEmpty();
    }

    @Test
    void pluralsAgreeWithTheirNumbers() {
        assertThat(findings("g:")).isEmpty();
    }

    /** One user's crawl, on a harness of his own. */
    private static final class Crawler {
        private final long user;
        private final boolean admin;
        private final ShopHarness h;
        private final Deque<Node> queue = new ArrayDeque<>();
        /** The screens crawled on and the buttons pressed, by all crawls: the admin's walks only what is his. */
        private static final Set<String> expanded = new HashSet<>();
        private static final Set<String> pressed = new HashSet<>();
        private final Set<Long> jobs = new HashSet<>();

        private final String language;
        /** The replies seen now answer a command the admin typed: see {@link #buttonless}. */
        private boolean typedByAdmin;

        Crawler(long user, boolean admin, String language) {
            this.user = user;
            this.admin = admin;
            this.language = language;
            h = new ShopHarness(CATALOG, ShopSettings.defaults().withAdmins(Set.of(ADMIN))
                    .withAdmission(AdmissionPolicy.off()).withWelcomeBonus(5_000).withReferralBonus(10, 100_00))
                    .speaking(language);
        }

        void run() {
            if (admin) {
                h.command(ADMIN, "start");
                typedByAdmin = true;
                seen("/admin", h.command(ADMIN, "admin"), 0);
                typedByAdmin = false;
            } else {
                List<Reply> start = h.command(user, "start");
                leads(MENU, start);
                seen(language + ": /start", start, 0);
            }
            h.topUp(user, 100_000_000);
            List<String> commands = new ArrayList<>(PublicCommands.NAMES);
            commands.addAll(List.of("start", PublicCommands.INVITE, "privacy", "cancel"));
            for (String command : commands) {
                h.sessions().save(user, h.session(user).withState(new ChatState.Menu()));
                tick();
                List<Reply> replies = h.command(user, command);
                if (command.equals("menu")) {
                    leads(MENU, replies);
                }
                seen("/" + command, replies, 0);
            }
            if (admin) {
                typedByAdmin = true;
                for (String command : PublicCommands.ADMIN_NAMES) {
                    tick();
                    seen("/" + command, h.command(user, command), 0);
                }
                typedByAdmin = false;
            }
            while (!queue.isEmpty() && presses < MAX_PRESSES) {
                expand(queue.poll());
            }
        }

        private void tick() {
            h.clock.advance(Duration.ofSeconds(3));
        }

        private void expand(Node node) {
            for (Button b : node.keyboard().buttons()) {
                if (b.data().isEmpty()) {
                    continue;
                }
                String data = b.data().get();
                Optional<CallbackAction> action = CallbackData.parse(data).flatMap(CallbackData::named);
                boolean evergreen = action.map(CallbackAction::evergreen).orElse(false);
                // «Сгенерировать» carries its price: one press for each confirmation, whatever was chosen
                boolean generate = action.filter(a -> a == CallbackAction.CONFIRM).isPresent();
                if (!pressed.add(evergreen ? data : node.kind() + "\u0000"
                        + (generate ? "generate" : withoutVersion(data)))) {
                    continue;
                }
                if (action.filter(a -> a == CallbackAction.FORGET_USER).isPresent()) {
                    continue; // forgets the user the crawl walks as
                }
                restore(node.state());
                tick();
                presses++;
                String where = node.where() + " → «" + b.text() + "»";
                List<Reply> replies = h.press(user, data);
                if (evergreen) {
                    leads(data, replies);
                }
                boolean other = action.filter(a -> a == CallbackAction.SET_LANGUAGE).isPresent()
                        && !data.endsWith("|" + language);
                answered(where, replies);
                if (other) {
                    h.stores.users().setLanguage(user, language);
                    replies.stream().filter(r -> r.chatId() == user).forEach(r -> limits(where, r));
                    continue;
                }
                seen(where, replies, node.depth() + 1);
                if (generate) {
                    result(where, node.depth() + 1);
                }
            }
        }

        /**
         * The job a «Сгенерировать» started, run to its end: delivered, or failed in one of the ways a provider fails
         * (in turn), and what the user is sent then checked and crawled on.
         */
        private void result(String where, int depth) {
            List<dev.kiebot.core.jobs.Job> recent = h.stores.jobs().recent(user, 1);
            if (recent.isEmpty() || !jobs.add(recent.get(0).id().value())) {
                return;
            }
            dev.kiebot.core.jobs.Job job = recent.get(0);
            h.work(10);
            Optional<String> task = h.stored(job).taskId();
            if (task.isEmpty()) {
                return;
            }
            int turn = jobs.size() % ENDS.size();
            Model m = CATALOG.model(job.modelId()).orElseThrow();
            if (ENDS.get(turn).isEmpty()) {
                dev.kiebot.core.jobs.MediaKind kind = switch (m.category()) {
                    case IMAGE -> dev.kiebot.core.jobs.MediaKind.PHOTO;
                    case VIDEO -> dev.kiebot.core.jobs.MediaKind.VIDEO;
                    case AUDIO, MUSIC -> dev.kiebot.core.jobs.MediaKind.AUDIO;
                };
                String file = kind == dev.kiebot.core.jobs.MediaKind.PHOTO ? "r.png"
                        : kind == dev.kiebot.core.jobs.MediaKind.VIDEO ? "r.mp4" : "r.mp3";
                h.provider.set(task.get(), new dev.kiebot.core.jobs.TaskStatus.Succeeded(
                        new dev.kiebot.core.jobs.JobResult(List.of("https://kie.example/" + file), kind)));
            } else {
                h.provider.set(task.get(), new dev.kiebot.core.jobs.TaskStatus.Failed(ENDS.get(turn).get(),
                        "the provider's own words"));
            }
            h.clock.advance(Duration.ofSeconds(30));
            h.messenger.drain();
            h.work(10);
            List<Reply> sent = h.messenger.drain();
            String next = where + " → ⚙️ " + ENDS.get(turn).map(Enum::name).orElse("готово");
            presses++;
            seen(next, sent, depth);
        }

        /** Where an evergreen button (or the menu) leads: the buttons it shows, for {@link #reachable}. */
        private void leads(String from, List<Reply> replies) {
            replies.stream().filter(r -> r.chatId() == user).flatMap(r -> keyboard(r).buttons().stream())
                    .flatMap(b -> b.data().stream())
                    .forEach(d -> LEADS.computeIfAbsent(from, k -> new HashSet<>()).add(d));
        }

        /** A fresh screen's button answered «outdated» or with an error. */
        private void answered(String where, List<Reply> replies) {
            Set<String> bad = new LinkedHashSet<>();
            for (Msg m : List.of(Msg.STALE_MENU, Msg.STALE_ORDER_KEPT, Msg.STALE_ORDER_GONE,
                    Msg.STALE_GENERATING_ONE_OF)) {
                bad.add(TEXTS.get(language, m));
            }
            String internal = TEXTS.get(language, Msg.ERROR_INTERNAL, "§").split("§")[0];
            for (Reply r : replies) {
                String text = text(r);
                if (bad.stream().anyMatch(text::contains) || text.startsWith(internal)) {
                    found("a: a fresh screen's button answered «outdated» or an error", where + ": " + first(text));
                }
            }
        }

        private void restore(String state) {
            if (!state.isEmpty()) {
                h.stores.chatStates().save(user, state);
            }
        }

        private void seen(String where, List<Reply> replies, int depth) {
            for (Reply r : replies) {
                if (r.chatId() != user) {
                    continue;
                }
                limits(where, r);
                Keyboard kb = keyboard(r);
                String text = text(r);
                if (!text.isEmpty() || !kb.isEmpty()) {
                    screens++;
                }
                if (kb.isEmpty() && !text.isEmpty() && !buttonless(r, replies, typedByAdmin)) {
                    found("b: a message with no button", first(text).replaceAll("\\d+", "N") + " at " + where);
                }
                boolean fresh = CHECKED.add(text);
                if (fresh && DUMP_TO != null) {
                    DUMP.append("=== ").append(where).append('\n').append(text).append('\n');
                    kb.rows().forEach(row -> DUMP.append(row.stream().map(b -> "[" + b.text() + "]")
                            .collect(Collectors.joining(" "))).append('\n'));
                }
                if (fresh && "ru".equals(language)) {
                    words(where, text);
                    plurals(where, text);
                    summary(where, text);
                } else if (!"ru".equals(language) && text.replace(TYPED, "").replace(TICKET, "").chars()
                        .anyMatch(ch -> Character.UnicodeBlock.of(ch) == Character.UnicodeBlock.CYRILLIC)) {
                    found("f: Russian on an English screen", where + ": " + first(text));
                }
                kb.buttons().stream().filter(b -> "ru".equals(language) && CHECKED.add("\u0000" + b.text()))
                        .forEach(b -> words(where + " (button)", b.text()));
                buttons(where, r, kb);
            }
            String state = h.stores.chatStates().load(user).orElse("");
            String kind = state(state);
            for (Reply r : replies) {
                Keyboard kb = keyboard(r);
                if (r.chatId() != user || kb.isEmpty() || depth >= MAX_DEPTH) {
                    continue;
                }
                String signature = kind + "\u0000" + kb.buttons().stream()
                        .map(b -> b.data().map(ScreenCrawlTest::withoutVersion).orElse(b.text()))
                        .collect(Collectors.joining("\u0001"));
                if (expanded.add(signature)) {
                    queue.add(new Node(where, state, kind, kb, depth));
                }
            }
            answerTyped(where, state, depth);
        }

        /** The question that waits for something typed or sent, not pressed: answered as PhoneRowsTest does. */
        private void answerTyped(String where, String state, int depth) {
            if (depth >= MAX_DEPTH || state.isEmpty()) {
                return;
            }
            ChatState now = h.session(user).state();
            String key = state(state);
            Optional<Event> event = Optional.empty();
            String said = "";
            if (now instanceof ChatState.Collecting c) {
                Model m = CATALOG.model(c.modelId()).orElseThrow();
                InputField f = m.askedFields().get(c.field());
                switch (f.type()) {
                    case TEXT -> {
                        event = Optional.of(new Event.Text(TYPED));
                        said = "описание";
                    }
                    case NUMBER, INTEGER -> {
                        event = Optional.of(new Event.Text(f.defaultValue()
                                .or(() -> f.min().map(Object::toString)).orElse("1")));
                        said = "число";
                    }
                    case IMAGE, IMAGES -> {
                        event = Optional.of(new Event.Media(MediaType.PHOTO, "photo-1", 1000, Optional.empty(),
                                Optional.empty()));
                        said = "фото";
                    }
                    case AUDIO -> {
                        event = Optional.of(new Event.Media(MediaType.VOICE, "voice-1", 1000,
                                Optional.of("audio/ogg"), Optional.empty(), 5));
                        said = "голосовое";
                    }
                    case VIDEO, VIDEOS -> {
                        event = Optional.of(new Event.Media(MediaType.VIDEO, "video-1", 1000,
                                Optional.of("video/mp4"), Optional.empty(), 5));
                        said = "видео";
                    }
                    default -> {
                        // answered by its buttons
                    }
                }
            } else if (now instanceof ChatState.ManualAmount) {
                event = Optional.of(new Event.Text("500"));
                said = "500";
            } else if (now instanceof ChatState.ManualReceipt) {
                event = Optional.of(new Event.Media(MediaType.PHOTO, "receipt-1", 1000, Optional.empty(),
                        Optional.empty()));
                said = "фото чека";
            } else if (now instanceof ChatState.WritingTicket) {
                event = Optional.of(new Event.Text(TICKET));
                said = "вопрос в поддержку";
            }
            if (event.isEmpty() || !pressed.add(key + "\u0000typed")) {
                return;
            }
            tick();
            presses++;
            String next = where + " → 👤 " + said;
            List<Reply> replies = h.send(user, event.get());
            answered(next, replies);
            seen(next, replies, depth + 1);
        }

        private void buttons(String where, Reply r, Keyboard kb) {
            Set<String> labels = new HashSet<>();
            boolean wayOn = false;
            for (List<Button> row : kb.rows()) {
                for (Button b : row) {
                    int length = b.text().codePointCount(0, b.text().length());
                    if (length > PhoneRowsTest.limit(row.size())) {
                        found("d: a label longer than a phone shows", "«" + b.text() + "» (" + length
                                + ") in a row of " + row.size() + " at " + where);
                    }
                    if (!labels.add(b.text())) {
                        found("d: two buttons alike on one screen", "«" + b.text() + "» at " + where);
                    }
                    if (b.data().isPresent()) {
                        int bytes = b.data().get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                        if (bytes > Button.MAX_DATA_BYTES) {
                            found("c: callback data past 64 bytes", b.data().get() + " at " + where);
                        }
                        wayOn |= CallbackData.parse(b.data().get()).flatMap(CallbackData::named)
                                .filter(a -> a.evergreen() || a == CallbackAction.CANCEL
                                        || a == CallbackAction.PREVIOUS_FIELD
                                        || a == CallbackAction.EDIT && b.data().get().endsWith("|-")).isPresent();
                    } else {
                        wayOn = true;
                    }
                }
            }
            if (!kb.isEmpty() && !wayOn) {
                found("b: a keyboard with no way back to the menu", first(text(r)) + " at " + where + " "
                        + kb.buttons().stream().map(b -> b.text() + "=" + b.data().orElse("")).toList());
            }
        }

        private void limits(String where, Reply r) {
            if (r instanceof Reply.SendText t && t.text().length() > 4096
                    || r instanceof Reply.EditText e && e.text().length() > 4096) {
                found("e: a message past 4,096 characters", where + ": " + first(text(r)));
            }
            if (r instanceof Reply.SendMedia m && m.caption().length() > 1024
                    || r instanceof Reply.UploadMedia u && u.caption().length() > 1024) {
                found("e: a caption past 1,024 characters", where + ": " + first(text(r)));
            }
            if (r instanceof Reply.AnswerCallback a && a.text().orElse("").length() > 200) {
                found("e: a button's answer past 200 characters", where + ": " + first(a.text().get()));
            }
            if (r instanceof Reply.SendInvoice i && (i.title().length() > 32 || i.description().length() > 255)) {
                found("e: an invoice past 32 / 255 characters", where + ": " + i.title());
            }
            if (r instanceof Reply.AnswerCallback a && a.text().isPresent() && "ru".equals(language)) {
                words(where + " (pop-up)", a.text().get());
            }
        }

        private String state(String stored) {
            if (stored.isEmpty()) {
                return "";
            }
            ChatState s = h.session(user).state();
            String kind = s.getClass().getSimpleName();
            if (s instanceof ChatState.Collecting c) {
                return kind + ":" + c.modelId() + ":" + c.field();
            }
            if (s instanceof ChatState.Confirming c) {
                return kind + ":" + c.modelId();
            }
            if (s instanceof ChatState.Viewing v) {
                return kind + ":" + v.modelId();
            }
            if (s instanceof ChatState.Browsing b) {
                return kind + ":" + b.category() + ":" + b.page();
            }
            return kind;
        }
    }

    private static final Pattern SNAKE = Pattern.compile("(?<![/\\w@.])[a-z][a-z0-9]*_[a-z0-9_]+\\b");
    private static final Pattern CAMEL = Pattern.compile("\\b(?!xAI\\b)[a-z]+[A-Z][A-Za-z]*\\b");
    /** A Latin word with a small letter in it: all capitals are a code («RRAQCC») or an abbreviation. */
    private static final Pattern LATIN = Pattern.compile("(?<![/\\w@.:-])(?=[A-Z]*[a-z])[A-Za-z][A-Za-z]{2,}\\b");
    /** A job's number, and the harness's own top-ups' references ({@code ShopHarness.topUp}) in a statement. */
    private static final Pattern JOB = Pattern.compile("\\bgen_\\d+|\\btest-topup-\\d+");
    private static final Pattern LINK = Pattern.compile("https?://\\S+|t\\.me/\\S+|@\\w+");
    /** Proper names a Russian product writes in Latin: the models' and their makers' (from the catalog), the platforms'. */
    private static final Set<String> NAMES = names();

    private static Set<String> names() {
        Set<String> names = new HashSet<>(Set.of("Telegram", "Stars", "Kie", "JPEG", "PNG", "WEBP", "MP3", "WAV",
                "OGG", "MP4", "MOV", "SBP", "PDF", "ZIP", "CSV", "Pro", "Max", "Fast", "Turbo", "Lite", "Plus",
                "Ultra", "Master", "Standard", "Std", "Edit", "Image", "Video", "Audio", "Music", "Speech", "Mini",
                "Flash", "Preview", "Remix", "Upscale", "Reframe", "Avatar", "Effects", "Quality",
                // the makers the models' descriptions name
                "Google", "OpenAI", "ByteDance", "Black", "Forest", "Labs", "xAI", "Alibaba", "Kuaishou", "MiniMax",
                "Runway", "Luma", "ElevenLabs", "Ideogram", "Recraft", "Topaz", "Midjourney", "Tencent", "Meta",
                // Suno's section tags, which the user types as they are
                "Verse", "Chorus", "Intro", "Outro", "Bridge",
                // the harness's card / SBP settings (ShopHarness.MANUAL): the operator's own words
                "Test", "Bank", "Ivanov"));
        for (Model m : CATALOG.models()) {
            for (String title : m.title().values()) {
                Matcher w = Pattern.compile("[A-Za-z][A-Za-z0-9]*").matcher(title);
                while (w.find()) {
                    names.add(w.group());
                }
            }
        }
        return names;
    }

    private static void words(String where, String text) {
        if (!text.chars().anyMatch(c -> Character.UnicodeBlock.of(c) == Character.UnicodeBlock.CYRILLIC)) {
            return; // an English screen (the language's own) or a bare label
        }
        String clean = LINK.matcher(JOB.matcher(text).replaceAll("№")).replaceAll("№");
        for (Pattern p : List.of(SNAKE, CAMEL)) {
            Matcher m = p.matcher(clean);
            while (m.find()) {
                found("f: a field or code name on screen", "«" + m.group() + "» at " + where);
            }
        }
        String unindented = clean.replaceAll("(?m)^[ \u00A0]+", "");
        for (String token : List.of("null", "Optional", "{", "}", "  ", "\u00A0\u00A0")) {
            if (unindented.contains(token)) {
                found("f: «" + token.replace("\u00A0", "·") + "» on screen", where + ": " + around(text, token));
            }
        }
        Matcher latin = LATIN.matcher(clean);
        while (latin.find()) {
            if (!NAMES.contains(latin.group())) {
                found("f: an English word on a Russian screen", "«" + latin.group() + "» at " + where + ": "
                        + around(text, latin.group()));
            }
        }
        for (String line : text.split("\n")) {
            if (line.startsWith(" ") || line.startsWith("\u00A0")) {
                continue; // an indented line goes on the line above it
            }
            String t = line.strip().replaceFirst("^[^\\p{L}\\p{N}«(]+", "");
            if (!t.isEmpty() && Character.isLowerCase(t.codePointAt(0))
                    && Character.UnicodeBlock.of(t.codePointAt(0)) == Character.UnicodeBlock.CYRILLIC) {
                found("f: a line that starts in lower case", "«" + first(t) + "» at " + where);
            }
        }
    }

    /** A summary's line: «• Качество: базовое». */
    private static final Pattern SUMMARY_LINE = Pattern.compile("(?m)^• ([^:\n]+): (\\S.*)$");

    private static void summary(String where, String text) {
        Matcher m = SUMMARY_LINE.matcher(text);
        while (m.find()) {
            String value = m.group(2);
            int first = value.codePointAt(0);
            int width = Character.charCount(first);
            boolean acronym = width < value.length() && !Character.isLowerCase(value.codePointAt(width));
            boolean name = value.contains("\u2642") || value.contains("\u2640");
            if (Character.isUpperCase(first) && Character.UnicodeBlock.of(first) == Character.UnicodeBlock.CYRILLIC
                    && !acronym && !name) {
                found("j: a summary's value in upper case after its colon", "«" + m.group() + "» at " + where);
            }
        }
    }

    /** Russian nouns the screens count, each as {one, few, many}: 1 генерация, 2 генерации, 5 генераций. */
    private static final List<String[]> NOUNS = List.of(
            new String[] {"генерация", "генерации", "генераций"},
            new String[] {"модель", "модели", "моделей"},
            new String[] {"секунда", "секунды", "секунд"},
            new String[] {"минута", "минуты", "минут"},
            new String[] {"час", "часа", "часов"},
            new String[] {"день", "дня", "дней"},
            new String[] {"символ", "символа", "символов"},
            new String[] {"файл", "файла", "файлов"},
            new String[] {"фото", "фото", "фото"},
            new String[] {"друг", "друга", "друзей"},
            new String[] {"раз", "раза", "раз"},
            new String[] {"картинка", "картинки", "картинок"},
            new String[] {"видео", "видео", "видео"},
            new String[] {"запись", "записи", "записей"},
            new String[] {"пользователь", "пользователя", "пользователей"},
            new String[] {"платёж", "платежа", "платежей"},
            new String[] {"заявка", "заявки", "заявок"},
            new String[] {"трек", "трека", "треков"});
    private static final Pattern COUNTED = Pattern.compile("(?<![\\d.,:/])(\\d+)[\\s\u00A0]+([а-яё]+)");

    private static void plurals(String where, String text) {
        Matcher m = COUNTED.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1).length() > 9 ? m.group(1).substring(m.group(1).length() - 9)
                    : m.group(1));
            String word = m.group(2);
            int form = n % 10 == 1 && n % 100 != 11 ? 0
                    : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2;
            for (String[] noun : NOUNS) {
                if (List.of(noun).contains(word) && !noun[form].equals(word)) {
                    found("g: a count and its noun disagree", "«" + m.group() + "» at " + where);
                }
            }
        }
    }

    /**
     * The messages that may come with no button, each for its reason:
     * <ul>
     *   <li>a button's pop-up (answerCallbackQuery), which has none by Telegram's design;
     *   <li>an edit sent together with a message that has buttons: a job's status message closed (its «✖ Отменить»
     *       taken off) as the result or the failure's notice comes with «🔁 Ещё раз» and «🏠 Меню», the order's
     *       summary turned «Запускаю…» as the job's status with «✖ Отменить» comes; the way on is in the new one;
     *   <li>the answers to a command the admin typed (/find's, /users', a usage line): reports he asked for, read
     *       and typed on from, not a user's step;
     *   <li>a file: a result, or one sent again as a document («📎 Файлом, без сжатия»), is what the user asked for,
     *       and the message it answers, with its buttons, is right above it.
     * </ul>
     */
    private static boolean buttonless(Reply r, List<Reply> batch, boolean typedByAdmin) {
        if (r instanceof Reply.AnswerCallback || r instanceof Reply.SendMedia || r instanceof Reply.UploadMedia
                || typedByAdmin) {
            return true;
        }
        return r instanceof Reply.EditText && batch.stream().anyMatch(o -> o != r && o.chatId() == r.chatId()
                && !keyboard(o).isEmpty());
    }

    /** A button's action and argument: the session's version it carries changes at every turn. */
    private static String withoutVersion(String data) {
        return CallbackData.parse(data).map(d -> d.action() + "|" + d.arg()).orElse(data);
    }

    private static Keyboard keyboard(Reply r) {
        return r instanceof Reply.SendText t ? t.keyboard() : r instanceof Reply.EditText e ? e.keyboard()
                : r instanceof Reply.SendMedia m ? m.keyboard() : r instanceof Reply.UploadMedia u ? u.keyboard()
                : Keyboard.NONE;
    }

    private static String text(Reply r) {
        return r instanceof Reply.SendText t ? t.text() : r instanceof Reply.EditText e ? e.text()
                : r instanceof Reply.SendMedia m ? m.caption() : r instanceof Reply.UploadMedia u ? u.caption()
                : r instanceof Reply.AnswerCallback a ? a.text().orElse("") : "";
    }

    private static String first(String text) {
        String line = text.strip().split("\n", 2)[0];
        return line.length() > 70 ? line.substring(0, 70) + "…" : line;
    }

    private static String around(String text, String token) {
        int at = Math.max(0, text.indexOf(token));
        int from = Math.max(0, at - 30);
        int to = Math.min(text.length(), at + token.length() + 30);
        return "…" + text.substring(from, to).replace("\n", "⏎") + "…";
    }
}
