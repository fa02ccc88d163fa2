package dev.kiebot.runtime.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may read {@code /metrics}: it shows the shop's revenue, the money held, Kie's credits and the traffic, and the
 * webhook's port is public (on Render, to anyone). With {@code METRICS_TOKEN} set, a scrape must bring it as
 * {@code Authorization: Bearer <token>} (Prometheus: {@code authorization: {credentials: <token>}}); without it,
 * only this machine may read it (a request that came through a proxy is not this machine's even when the proxy runs
 * here). A proxy says so in one of {@link #PROXY_HEADERS}: not every one sets {@code X-Forwarded-For} — nginx set up
 * with {@code proxy_set_header X-Real-IP}, or one writing RFC 7239's {@code Forwarded}, handed anyone on the internet
 * the metrics as if they came from this machine.
 *
 * <p>A bot with a public URL (the webhook runner; {@code WEBHOOK_BASE_URL} or Render's {@code RENDER_EXTERNAL_URL}
 * set) takes no request as this machine's: a proxy in front of it need not say it is one (nginx's {@code proxy_pass}
 * adds none of those headers unless told to), so a default nginx on a VPS passed the internet's requests on from
 * 127.0.0.1 and the revenue was public. There, without the token, {@code /metrics} is refused to everyone (the start
 * says so: {@code Settings}' notice).
 */
public final class MetricsAccess {
    /** Headers a reverse proxy adds to say whom it passes a request on for; any one of them means "not this machine". */
    static final List<String> PROXY_HEADERS = List.of("X-Forwarded-For", "Forwarded", "X-Real-IP",
            "X-Forwarded-Host", "X-Forwarded-Proto", "Via", "CF-Connecting-IP");

    private final Optional<byte[]> token;
    private final boolean publicUrl;

    private MetricsAccess(Optional<String> token, boolean publicUrl) {
        this.token = token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
        this.publicUrl = publicUrl;
    }

    /** @param token {@code METRICS_TOKEN}, if the operator set one; without it, this machine may read them */
    public static MetricsAccess of(Optional<String> token) {
        return of(token, false);
    }

    /**
     * @param token     {@code METRICS_TOKEN}, if the operator set one
     * @param publicUrl whether the bot has a public URL: then only the token opens {@code /metrics}
     */
    public static MetricsAccess of(Optional<String> token, boolean publicUrl) {
        return new MetricsAccess(Objects.requireNonNull(token, "token"), publicUrl);
    }

    /** @return whether the request may read the metrics; if not, its answer (401 or 403) is set already */
    boolean allows(Context ctx) {
        if (token.isPresent()) {
            byte[] given = Optional.ofNullable(ctx.header("Authorization")).orElse("").getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(given, token.get())) {
                return true;
            }
            ctx.header("WWW-Authenticate", "Bearer").status(401).result("metrics need METRICS_TOKEN as a Bearer token");
            return false;
        }
        if (publicUrl) {
            ctx.status(403).result("metrics need METRICS_TOKEN: this bot has a public URL, where a proxy in front may "
                    + "pass anyone's request on as this machine's");
            return false;
        }
        if (thisMachine(ctx)) {
            return true;
        }
        ctx.status(403).result("metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere");
        return false;
    }

    /**
     * Whether {@code /readyz} shows its detail to the request (version, commit, Telegram's last delivery error, whether
     * Kie refuses the shop, sales are paused, the database refuses writes): with {@code METRICS_TOKEN} set, only to
     * one bringing it; without it, to whom {@code /metrics} would answer, this machine through no proxy on a bot
     * without a public URL (the operator's curl on the box). Everyone else reads the verdict only (a probe needs the
     * status code alone): the detail was everyone's without the token, and told an outsider when Kie was down, sales
     * paused and the database refusing writes. Sets no answer.
     */
    boolean showsDetail(Context ctx) {
        if (token.isEmpty()) {
            return thisMachine(ctx);
        }
        byte[] given = Optional.ofNullable(ctx.header("Authorization")).orElse("").getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.get());
    }

    /** Without the token: a request from this machine, through no proxy, on a bot without a public URL. */
    private boolean thisMachine(Context ctx) {
        return !publicUrl && PROXY_HEADERS.stream().allMatch(h -> ctx.header(h) == null)
                && loopback(ctx.req().getRemoteAddr());
    }

    private static boolean loopback(String address) {
        try {
            // an address literal: no name lookup happens
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
