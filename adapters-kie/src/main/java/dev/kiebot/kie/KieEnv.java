package dev.kiebot.kie;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.jobs.GenerationProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads this module's environment variables for the runtime's wiring. Nothing here reads
 * {@code System.getenv()} itself: pass the map. Messages name the variable, never its value.
 *
 * <pre>
 * KIE_STUB / DRY_RUN          1|true|yes|on → offline StubProvider (default off)
 * KIE_API_KEY                 required unless stubbed
 * KIE_BASE_URL                https://api.kie.ai          (a trailing /api/v1 is accepted and stripped)
 * KIE_UPLOAD_URL              https://kieai.redpandaai.co
 * KIE_CALLBACK_URL            none (the webhook runner usually sets it from its public URL)
 * KIE_WEBHOOK_HMAC_KEY        none (enables callback signature checks)
 * KIE_UPLOAD_PATH             kiebot/uploads
 * KIE_CONNECT_TIMEOUT_MS      10000
 * KIE_REQUEST_TIMEOUT_MS      30000
 * KIE_UPLOAD_TIMEOUT_MS       120000
 * KIE_STATUS_RPS              8 (1..9; Kie allows 10 status reads/s per key)
 * KIE_DEADLINE_IMAGE_MIN      10;  KIE_DEADLINE_VIDEO_MIN / _AUDIO_MIN / _MUSIC_MIN  30
 * KIE_STUB_DELAY_MS 3000, KIE_STUB_FAIL_RATE 0, KIE_STUB_FAIL_CODE none, KIE_STUB_FAIL_AT submit|status, KIE_STUB_SEED 42
 * </pre>
 */
public final class KieEnv {
    private KieEnv() {
    }

    public static boolean stubbed(Map<String, String> env) {
        return truthy(env.get("KIE_STUB")) || truthy(env.get("DRY_RUN"));
    }

    static boolean truthy(String v) {
        if (v == null) {
            return false;
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        return t.equals("1") || t.equals("true") || t.equals("yes") || t.equals("on");
    }

    /** Every problem with this module's variables, all at once (empty when fine). */
    public static List<String> problems(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        if (stubbed(env)) {
            collect(out, () -> StubConfig.fromEnv(env, Clock.systemUTC()));
        } else {
            String key = env.get("KIE_API_KEY");
            if (key == null || key.isBlank()) {
                out.add("KIE_API_KEY is required (or set KIE_STUB=1 for a dry run)");
            } else {
                collect(out, () -> kieConfig(env));
            }
        }
        collect(out, () -> pollSchedule(env));
        return out;
    }

    private static void collect(List<String> out, Supplier<?> s) {
        try {
            s.get();
        } catch (IllegalArgumentException e) {
            out.add(e.getMessage());
        }
    }

    public static KieConfig kieConfig(Map<String, String> env) {
        String key = env.get("KIE_API_KEY");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("KIE_API_KEY is required (or set KIE_STUB=1 for a dry run)");
        }
        long rps = positive(env, "KIE_STATUS_RPS", 8);
        if (rps > 9) {
            throw new IllegalArgumentException("KIE_STATUS_RPS must be 1..9 (Kie allows 10 status reads/s per key)");
        }
        KieConfig.Builder b = KieConfig.builder(key.trim())
                .baseUrl(orDefault(env, "KIE_BASE_URL", KieConfig.DEFAULT_BASE_URL))
                .uploadUrl(orDefault(env, "KIE_UPLOAD_URL", KieConfig.DEFAULT_UPLOAD_URL))
                .uploadPath(orDefault(env, "KIE_UPLOAD_PATH", KieConfig.DEFAULT_UPLOAD_PATH))
                .connectTimeout(Duration.ofMillis(positive(env, "KIE_CONNECT_TIMEOUT_MS", 10_000)))
                .requestTimeout(Duration.ofMillis(positive(env, "KIE_REQUEST_TIMEOUT_MS", 30_000)))
                .uploadTimeout(Duration.ofMillis(positive(env, "KIE_UPLOAD_TIMEOUT_MS", 120_000)))
                .statusReadsPerSecond((int) rps)
                .callbackUrl(blankToNull(env.get("KIE_CALLBACK_URL")))
                .hmacKey(blankToNull(env.get("KIE_WEBHOOK_HMAC_KEY")));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "invalid Kie settings" : e.getMessage();
            throw new IllegalArgumentException(m.startsWith("KIE_") ? m : "Kie settings: " + m);
        }
    }

    public static StubConfig stubConfig(Map<String, String> env) {
        return StubConfig.fromEnv(env, Clock.systemUTC());
    }

    public static PollSchedule pollSchedule(Map<String, String> env) {
        PollSchedule s = PollSchedule.defaults();
        for (Category c : Category.values()) {
            String name = "KIE_DEADLINE_" + c.name() + "_MIN";
            if (env.get(name) != null && !env.get(name).isBlank()) {
                s = s.withDeadline(c, Duration.ofMinutes(positive(env, name, 1)));
            }
        }
        return s;
    }

    /** The provider the runtime should use: the stub when KIE_STUB/DRY_RUN is on, else Kie. */
    public static GenerationProvider provider(Map<String, String> env) {
        return stubbed(env) ? new StubProvider(stubConfig(env)) : KieProvider.create(kieConfig(env));
    }

    private static String orDefault(Map<String, String> env, String name, String dflt) {
        String v = env.get(name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static long positive(Map<String, String> env, String name, long dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n <= 0) {
                throw new IllegalArgumentException(name + " must be > 0");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive integer");
        }
    }
}
