package dev.kiebot.runtime.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may read {@code /metrics}: it shows the shop's revenue, the money held, Kie's credits and the traffic, and the
 * webhook's port is public (on Render, to anyone). With {@code METRICS_TOKEN} set, a scrape must bring it as
 * {@code Authorization: Bearer <token>} (Prometheus: {@code authorization: {credentials: <token>}}); without it,
 * only this machine may read it (a request that came through a proxy, which says so in {@code X-Forwarded-For},
 * is not this machine's even when the proxy runs here).
 */
public final class MetricsAccess {
    private final Optional<byte[]> token;

    private MetricsAccess(Optional<String> token) {
        this.token = token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
    }

    /** @param token {@code METRICS_TOKEN}, if the operator set one */
    public static MetricsAccess of(Optional<String> token) {
        return new MetricsAccess(Objects.requireNonNull(token, "token"));
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
        if (ctx.header("X-Forwarded-For") == null && loopback(ctx.req().getRemoteAddr())) {
            return true;
        }
        ctx.status(403).result("metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere");
        return false;
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
