package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.kie.KieConfig;
import dev.kiebot.kie.StubConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README's configuration table and the configuration agree: every variable read is documented, every documented
 * variable is read, and each documented default is the value the bot uses when the variable is unset.
 */
class ConfigurationTableTest {
    private static final Path README = Path.of("..", "README.md");
    private static final String TOKEN = "1234567:AAH1234567890abcdefghijklmnopqrstuv";
    private static final Pattern NAME = Pattern.compile("`(_?[A-Z][A-Z0-9_]*)`");

    /** Variable → its row's default cell. */
    private static Map<String, String> table;
    /** Variable → its row's meaning cell. */
    private static Map<String, String> meaning;

    @BeforeAll
    static void readTable() throws IOException {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        table = new LinkedHashMap<>();
        meaning = new LinkedHashMap<>();
        for (String line : section.lines().filter(l -> l.startsWith("| `")).toList()) {
            String[] cells = line.split("\\|");
            List<String> names = names(cells[1]);
            for (String name : names) {
                table.put(name, cells[2].strip());
                meaning.put(name, cells[3].strip());
            }
        }
    }

    /** {@code `KIE_DEADLINE_VIDEO_MIN` / `_AUDIO_MIN`} names two variables: the second replaces the tail. */
    private static List<String> names(String cell) {
        Matcher m = NAME.matcher(cell);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            String n = m.group(1);
            if (n.startsWith("_")) {
                String first = out.get(0);
                int segments = n.split("_").length - 1;
                String prefix = first;
                for (int i = 0; i < segments; i++) {
                    prefix = prefix.substring(0, prefix.lastIndexOf('_'));
                }
                n = prefix + n;
            }
            out.add(n);
        }
        return out;
    }

    private static Set<String> namesRead(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(extra);
        m.put("TELEGRAM_BOT_TOKEN", TOKEN);
        Env env = new Env(m);
        Settings.read(env);
        assertThat(env.problems()).as("a valid environment").isEmpty();
        return env.names();
    }

    @Test
    void everyVariableReadIsDocumentedAndEveryDocumentedOneIsRead() {
        Set<String> read = new TreeSet<>(namesRead(Map.of("KIE_STUB", "1")));
        read.addAll(namesRead(Map.of("KIE_API_KEY", "kie-key-123456", "KIE_STATUS_RPS", "8")));
        read.addAll(namesRead(Map.of("KIE_STUB", "1", "DATABASE_URL", "postgres://u:p@h/db")));
        Set<String> documented = new TreeSet<>(table.keySet());
        // the host name is the documented default of INSTANCE_NAME
        documented.add("HOSTNAME");
        // read beside the configuration, not through Env: BuildInfoTest holds its row to BuildInfo, and the
        // architecture's EnvironmentReadsTest lets no other class read the environment
        read.add("RENDER_GIT_COMMIT");
        assertThat(read).containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void eachDocumentedDefaultIsTheOneInEffect() {
        Settings stub = Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "KIE_STUB", "1"));
        Settings live = Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "KIE_API_KEY", "kie-key-123456"));
        KieConfig kie = ((KieSettings.Backend.Live) live.kie().backend()).config();
        StubConfig stubConfig = ((KieSettings.Backend.Stub) stub.kie().backend()).config();
        ShopSettings shop = stub.shop();
        Map<String, Function<Settings, Object>> effective = new LinkedHashMap<>();
        effective.put("TELEGRAM_API_URL", s -> s.telegram().apiUrl());
        effective.put("TELEGRAM_CHAT_INTERVAL_MS", s -> s.telegram().pacing().interval().toMillis());
        effective.put("TELEGRAM_CHAT_BURST", s -> s.telegram().pacing().burst());
        effective.put("TELEGRAM_GLOBAL_RATE", s -> s.telegram().globalRate());
        effective.put("KIE_BASE_URL", s -> kie.baseUrl());
        effective.put("KIE_UPLOAD_URL", s -> kie.uploadUrl());
        effective.put("KIE_UPLOAD_PATH", s -> kie.uploadPath());
        effective.put("KIE_CONNECT_TIMEOUT_MS", s -> kie.connectTimeout().toMillis());
        effective.put("KIE_REQUEST_TIMEOUT_MS", s -> kie.requestTimeout().toMillis());
        effective.put("KIE_UPLOAD_TIMEOUT_MS", s -> kie.uploadTimeout().toMillis());
        effective.put("KIE_STATUS_RPS", s -> kie.statusReadsPerSecond());
        for (Category c : Category.values()) {
            effective.put("KIE_DEADLINE_" + c.name() + "_MIN", s -> shop.deadline(c).toMinutes());
        }
        effective.put("KIE_LOW_CREDITS", s -> s.kie().lowCredits().toPlainString());
        effective.put("KIE_STUB_DELAY_MS", s -> stubConfig.delay().toMillis());
        effective.put("KIE_STUB_FAIL_RATE", s -> BigDecimal.valueOf(stubConfig.failRate()).stripTrailingZeros()
                .toPlainString());
        effective.put("KIE_STUB_SEED", s -> stubConfig.seed());
        effective.put("DATABASE_POOL_SIZE", s -> s.database().poolSize());
        effective.put("DATA_DIR", s -> s.database().dataDir());
        effective.put("RATE_LIMIT_PER_MINUTE", s -> s.shop().admission().perMinute());
        effective.put("RATE_LIMIT_BURST", s -> s.shop().admission().burst());
        effective.put("CALLBACK_DEDUP_MS", s -> s.shop().admission().repeatWindow().toMillis());
        effective.put("FX_RATE", s -> s.catalog().pricing().fxRate().toPlainString());
        effective.put("PRICING_MARKUP", s -> s.catalog().pricing().markup().toPlainString());
        effective.put("CURRENCY", s -> s.catalog().pricing().currency());
        effective.put("WELCOME_BALANCE_RUB", s -> s.shop().welcomeBonus());
        effective.put("REFERRAL_PERCENT", s -> s.shop().referral().percent());
        effective.put("REFERRAL_BONUS_MAX_RUB", s -> BigDecimal.valueOf(s.shop().referral().maxMinorUnits(), 2)
                .stripTrailingZeros().toPlainString());
        effective.put("FREE_DAILY_LIMIT", s -> s.catalog().freeDailyLimit());
        effective.put("FREE_DAILY_TOTAL", s -> s.catalog().freeDailyTotal());
        effective.put("WELCOME_DAILY_TOTAL", s -> s.catalog().welcomeDailyTotal());
        effective.put("FREE_DAY_ZONE", s -> s.shop().zone());
        effective.put("STARS_PACKAGES", s -> s.shop().starsPackages().stream().map(String::valueOf)
                .collect(Collectors.joining(",")));
        effective.put("STAR_PRICE_RUB", s -> BigDecimal.valueOf(s.shop().starPrice(), 2).stripTrailingZeros()
                .toPlainString());
        // SUPPORT_TELEGRAM has no default: the table says "none", and unset it is none
        assertThat(table.get("SUPPORT_TELEGRAM")).isEqualTo("none");
        assertThat(stub.shop().support()).isEmpty();
        effective.put("PAYMENT_MIN_RUB", s -> BigDecimal.valueOf(s.manualPayments().minAmount(), 2)
                .stripTrailingZeros().toPlainString());
        effective.put("PAYMENT_MAX_RUB", s -> BigDecimal.valueOf(s.manualPayments().maxAmount(), 2)
                .stripTrailingZeros().toPlainString());
        effective.put("PAYMENT_EXPIRE_HOURS", s -> s.manualPayments().expireAfter().toHours());
        effective.put("BROADCAST_RECIPIENTS_RETENTION_DAYS", s -> s.broadcastRecipientsRetention().toDays());
        effective.put("CLOCK_SKEW_MAX_SECONDS", s -> s.clockSkewMax().toSeconds());
        effective.put("LOG_LEVEL", Settings::logLevel);
        effective.put("LOG_FORMAT", s -> s.logFormat().name().toLowerCase(java.util.Locale.ROOT));
        effective.put("PORT", s -> s.http().webhookPort());
        for (Map.Entry<String, Function<Settings, Object>> e : effective.entrySet()) {
            assertThat(table).as("README documents " + e.getKey()).containsKey(e.getKey());
            String value = String.valueOf(e.getValue().apply(stub));
            assertThat(table.get(e.getKey())).as("README's default of " + e.getKey()).contains("`" + value + "`");
        }
    }

    /**
     * A limit the table states is the one the start enforces: an operator who sets the documented largest value is not
     * refused, and one past it is (KIE_STATUS_RPS said only that Kie allows 10, and 10 stopped the start).
     */
    @Test
    void eachDocumentedLimitIsTheOneInEffect() {
        Pattern range = Pattern.compile("(\\d+)-(\\d+)");
        Pattern atMost = Pattern.compile("at most (\\d+)");
        for (String name : List.of("KIE_STATUS_RPS", "KIE_DEADLINE_IMAGE_MIN", "PAYMENT_EXPIRE_HOURS", "REFERRAL_PERCENT",
                "FX_RATE", "PRICING_MARKUP", "WELCOME_DAILY_TOTAL", "BROADCAST_RECIPIENTS_RETENTION_DAYS",
                "CLOCK_SKEW_MAX_SECONDS", "PERSONAL_DATA_DAYS")) {
            String cell = meaning.get(name);
            Matcher between = range.matcher(cell);
            Matcher most = atMost.matcher(cell);
            assertThat(between.find() || most.find()).as("README states the limits of " + name + ": " + cell).isTrue();
            long max = Long.parseLong(between.find(0) ? between.group(2) : most.group(1));
            assertThat(problemsWith(name, String.valueOf(max))).as(name + "=" + max + " (README: " + cell + ")")
                    .isEmpty();
            assertThat(problemsWith(name, String.valueOf(max + 1))).as(name + "=" + (max + 1)).isNotEmpty();
            if (between.find(0)) {
                long min = Long.parseLong(between.group(1));
                assertThat(problemsWith(name, String.valueOf(min))).as(name + "=" + min).isEmpty();
                assertThat(problemsWith(name, String.valueOf(min - 1))).as(name + "=" + (min - 1)).isNotEmpty();
            }
        }
    }

    /** The problems a live (not stubbed) start has with {@code name=value} and nothing else unusual. */
    private static List<String> problemsWith(String name, String value) {
        Map<String, String> vars = new HashMap<>(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "KIE_API_KEY", "kie-key-123456",
                name, value));
        if (name.equals("FX_RATE")) {
            // at a million to the dollar the default 1.5 a Star credits $0.0000015, refused (Shop.STAR_CREDIT_MIN_USD)
            vars.put("STAR_PRICE_RUB", "1000");
        }
        Env env = new Env(vars);
        Settings.read(env);
        return env.problems();
    }

    @Test
    void theEarlierBotsTableListsExactlyTheVariablesWarnedAbout() throws IOException {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("## Coming from an earlier Kie bot"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Set<String> listed = new TreeSet<>();
        for (String line : section.lines().filter(l -> l.startsWith("| `")).toList()) {
            listed.addAll(names(line.split("\\|")[1]));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(EarlierVariables.WITHOUT_EFFECT.keySet());
        assertThat(table.keySet()).as("a variable without effect is not configuration")
                .doesNotContainAnyElementsOf(listed);
    }
}
