package dev.kiebot.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the database is. Either an external PostgreSQL ({@code DATABASE_URL}) or, without it, the embedded
 * single-instance PostgreSQL under {@code DATA_DIR/pg}. {@link #toString()} never shows the password.
 *
 * @param jdbcUrl  {@code jdbc:postgresql://host:port/db?params} without credentials; empty = embedded
 * @param user     the database user (may be empty for the embedded database)
 * @param password the password, URL-decoded (may be empty)
 * @param dataDir  where the embedded database lives ({@code dataDir/pg}; the runtime passes {@code DATA_DIR})
 * @param poolSize maximum connections in the pool
 * @param schema   the schema kiebot's tables live in (created on first start); empty = the connection's default
 *                 ({@code public})
 * @param baseline whether kiebot may add its tables to a schema that already holds tables of something else
 *                 (otherwise it refuses to start there, naming them)
 */
public record DatabaseSettings(Optional<String> jdbcUrl, String user, String password, Path dataDir, int poolSize,
                               Optional<String> schema, boolean baseline) {

    /**
     * Pool size when {@code DATABASE_POOL_SIZE} is not set: 2 x cores + 1 for the 2-core boxes the bot is sized for.
     * Each connection is a PostgreSQL backend of 10-20 MB; on this machine 5 connections also accepted more webhook
     * updates per second than 10 (BENCHMARKS.md).
     */
    public static final int DEFAULT_POOL_SIZE = 5;
    /** More connections than this only queue up inside PostgreSQL. */
    public static final int POOL_SIZE_MAX = 500;

    /** An unquoted PostgreSQL identifier, lower case: needs no quoting anywhere. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static final Pattern HOST_PART = Pattern.compile(
            "^(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::(\\d{1,5}))?(?:/([^?]*))?(?:\\?(.*))?$", Pattern.DOTALL);

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        Objects.requireNonNull(dataDir, "dataDir");
        if (poolSize < 1 || poolSize > POOL_SIZE_MAX) {
            throw new IllegalArgumentException("poolSize must be 1.." + POOL_SIZE_MAX + ", got " + poolSize);
        }
        Objects.requireNonNull(schema, "schema");
        if (schema.isPresent() && !SCHEMA_NAME.matcher(schema.get()).matches()) {
            throw new IllegalArgumentException("DATABASE_SCHEMA must be a lower-case name of a-z, 0-9 and _ (not "
                    + "starting with a digit, at most 63 characters), got '" + schema.get() + "'");
        }
    }

    /** In the connection's default schema, refusing a schema that holds tables of something else. */
    public DatabaseSettings(Optional<String> jdbcUrl, String user, String password, Path dataDir, int poolSize) {
        this(jdbcUrl, user, password, dataDir, poolSize, Optional.empty(), false);
    }

    /** An external database. */
    public static DatabaseSettings external(String jdbcUrl, String user, String password) {
        return new DatabaseSettings(Optional.of(jdbcUrl), user, password, Path.of("data"), DEFAULT_POOL_SIZE);
    }

    /** The embedded database in {@code dataDir/pg}. */
    public static DatabaseSettings embedded(Path dataDir) {
        return new DatabaseSettings(Optional.empty(), "", "", dataDir, DEFAULT_POOL_SIZE);
    }

    /**
     * An external database as an operator writes its URL ({@code postgres://}, {@code postgresql://} or
     * {@code jdbc:postgresql://}), credentials taken from the URL, the default pool size.
     *
     * @throws IllegalArgumentException naming {@code DATABASE_URL}; the message never contains the password
     */
    public static DatabaseSettings fromUrl(String databaseUrl) {
        return fromUrl(databaseUrl, Optional.empty(), Optional.empty(), Path.of("data"), DEFAULT_POOL_SIZE);
    }

    /**
     * An external database from its URL; {@code user} / {@code password}, when present, replace the URL's
     * credentials. This module reads no environment: the runtime's configuration passes the values it read.
     *
     * @throws IllegalArgumentException naming {@code DATABASE_URL}; the message never contains the password
     */
    public static DatabaseSettings fromUrl(String databaseUrl, Optional<String> user, Optional<String> password,
                                           Path dataDir, int poolSize) {
        Parsed p = parseUrl(databaseUrl.strip());
        return new DatabaseSettings(Optional.of(p.jdbcUrl), user.filter(u -> !u.isBlank()).orElse(p.user),
                password.filter(pw -> !pw.isEmpty()).orElse(p.password), dataDir, poolSize);
    }

    public boolean isEmbedded() {
        return jdbcUrl.isEmpty();
    }

    /**
     * Where the database is, as {@code host:port} (several for a URL listing fallback hosts; PostgreSQL's 5432 when the
     * URL names none), or {@code embedded} without a URL: what a log line may show. The URL itself may not: its
     * parameters can carry credentials of their own (an {@code sslpassword}, a key's path), and its whole text is the
     * secret {@code DATABASE_URL}.
     */
    // split(",") drops the empty host after a stray trailing comma: a log line has nothing to show for it
    @SuppressWarnings("StringSplitter")
    public String address() {
        if (jdbcUrl.isEmpty()) {
            return "embedded";
        }
        String rest = jdbcUrl.get().substring(jdbcUrl.get().indexOf("//") + 2);
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        List<String> hosts = new ArrayList<>();
        for (String host : rest.substring(0, end).split(",")) {
            boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
            hosts.add(hasPort ? host : host + ":5432");
        }
        return String.join(",", hosts);
    }

    /** The directory of the embedded database's files. */
    public Path embeddedDataDirectory() {
        return dataDir.resolve("pg");
    }

    public DatabaseSettings withPoolSize(int size) {
        return new DatabaseSettings(jdbcUrl, user, password, dataDir, size, schema, baseline);
    }

    /** Kiebot's tables in {@code name} (created on first start) instead of the connection's default schema. */
    public DatabaseSettings withSchema(String name) {
        return new DatabaseSettings(jdbcUrl, user, password, dataDir, poolSize, Optional.of(name), baseline);
    }

    /** Whether kiebot may add its tables to a schema that holds tables of something else. */
    public DatabaseSettings withBaseline(boolean allowed) {
        return new DatabaseSettings(jdbcUrl, user, password, dataDir, poolSize, schema, allowed);
    }

    /** The same schema choices on another server (the embedded one, once it runs). */
    DatabaseSettings at(String url, String user, String password) {
        return new DatabaseSettings(Optional.of(url), user, password, dataDir, poolSize, schema, baseline);
    }

    /** Without the password, and without the URL's parameters: one may be a key's password ({@code sslpassword}). */
    @Override
    public String toString() {
        return "DatabaseSettings[" + jdbcUrl.map(u -> "url=" + u.replaceFirst("\\?.*", "") + ", user=" + user)
                .orElse("embedded")
                + ", password=" + (password.isEmpty() ? "(none)" : "****") + ", dataDir=" + dataDir
                + ", poolSize=" + poolSize + schema.map(n -> ", schema=" + n).orElse("")
                + (baseline ? ", baseline" : "") + "]";
    }

    private record Parsed(String jdbcUrl, String user, String password) {
    }

    @SuppressWarnings("StringSplitter") // an empty parameter (a&&b, a trailing &) is skipped below
    private static Parsed parseUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql://")) {
            return parseJdbc(url);
        }
        String rest;
        if (lower.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
        } else if (lower.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
        } else {
            throw new IllegalArgumentException(
                    "DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql://");
        }
        // The user info ends at the first '@' after which a well-formed host follows, so a raw '@', '/', '?',
        // '#' or ':' in the password still works (the URL-encoded form is the standard one).
        String userInfo = null;
        Matcher host = null;
        int at = -1;
        while ((at = rest.indexOf('@', at + 1)) >= 0) {
            Matcher m = HOST_PART.matcher(rest.substring(at + 1));
            if (m.matches()) {
                userInfo = rest.substring(0, at);
                host = m;
                break;
            }
        }
        if (host == null) {
            Matcher m = HOST_PART.matcher(rest);
            if (rest.contains("@") || !m.matches()) {
                throw new IllegalArgumentException(
                        "DATABASE_URL is not of the form postgresql://user:password@host:port/database");
            }
            host = m;
        }
        String user = "";
        String password = "";
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        }
        String hostName = host.group(1);
        int port = 5432;
        if (host.group(2) != null) {
            port = Integer.parseInt(host.group(2));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("DATABASE_URL has an invalid port");
            }
        }
        String db = host.group(3) == null || host.group(3).isEmpty() ? "postgres" : decode(host.group(3));
        List<String> params = new ArrayList<>();
        if (host.group(4) != null && !host.group(4).isEmpty()) {
            for (String param : host.group(4).split("&")) {
                if (param.isEmpty()) {
                    continue;
                }
                int eq = param.indexOf('=');
                String key = decode(eq < 0 ? param : param.substring(0, eq));
                String value = eq < 0 ? "" : decode(param.substring(eq + 1));
                if (key.equalsIgnoreCase("user") && user.isEmpty()) {
                    user = value;
                } else if (key.equalsIgnoreCase("password") && password.isEmpty()) {
                    password = value;
                } else if (!key.equalsIgnoreCase("user") && !key.equalsIgnoreCase("password")) {
                    params.add(encodeParam(key) + "=" + encodeParam(value));
                }
            }
        }
        String jdbc = "jdbc:postgresql://" + hostName + ":" + port + "/" + encodePath(db)
                + (params.isEmpty() ? "" : "?" + String.join("&", params));
        return new Parsed(jdbc, user, password);
    }

    /** {@code jdbc:postgresql://host[:port]/db?user=..&password=..&sslmode=..}: credentials move out of the URL. */
    @SuppressWarnings("StringSplitter") // an empty parameter (a&&b, a trailing &) is skipped below
    private static Parsed parseJdbc(String url) {
        String prefix = url.substring(0, "jdbc:postgresql://".length());
        String rest = url.substring(prefix.length());
        String user = "";
        String password = "";
        int q = rest.indexOf('?');
        String base = q < 0 ? rest : rest.substring(0, q);
        int at = base.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = base.substring(0, at);
            base = base.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        }
        if (base.isEmpty()) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        List<String> params = new ArrayList<>();
        if (q >= 0) {
            for (String param : rest.substring(q + 1).split("&")) {
                if (param.isEmpty()) {
                    continue;
                }
                int eq = param.indexOf('=');
                String key = eq < 0 ? param : param.substring(0, eq);
                String value = eq < 0 ? "" : param.substring(eq + 1);
                if (key.equalsIgnoreCase("user")) {
                    user = decode(value);
                } else if (key.equalsIgnoreCase("password")) {
                    password = decode(value);
                } else {
                    params.add(param);
                }
            }
        }
        return new Parsed("jdbc:postgresql://" + base + (params.isEmpty() ? "" : "?" + String.join("&", params)),
                user, password);
    }

    /** Percent-decoding as in URLs: unlike URLDecoder, '+' stays '+'. An invalid escape is kept as typed. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                out.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static String encodeParam(String s) {
        return percentEncode(s, "-_.~");
    }

    private static String encodePath(String s) {
        return percentEncode(s, "-_.~");
    }

    private static String percentEncode(String s, String safe) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || safe.indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
