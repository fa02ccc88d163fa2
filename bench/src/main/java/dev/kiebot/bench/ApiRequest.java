package dev.kiebot.bench;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The text parameters of one Bot API call. pengrad (the bot's client) sends {@code
 * application/x-www-form-urlencoded} bodies, or {@code multipart/form-data} when it uploads a file; query
 * strings are read too. File parts are skipped: the fake never needs their bytes.
 */
record ApiRequest(Map<String, String> params) {

    static ApiRequest parse(String rawQuery, String contentType, byte[] body) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery != null) {
            readForm(rawQuery, params);
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            readForm(new String(body, StandardCharsets.UTF_8), params);
        } else if (type.startsWith("multipart/form-data")) {
            readMultipart(contentType, body, params);
        }
        return new ApiRequest(Map.copyOf(params));
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    long longParam(String name, long fallback) {
        try {
            return Long.parseLong(param(name).strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void readForm(String form, Map<String, String> params) {
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
    }

    /** RFC 7578, text parts only. ISO-8859-1 maps bytes 1:1, so part boundaries are found on the raw bytes. */
    private static void readMultipart(String contentType, byte[] body, Map<String, String> params) {
        String boundary = headerParam(contentType, "boundary");
        if (boundary.isEmpty()) {
            return;
        }
        String raw = new String(body, StandardCharsets.ISO_8859_1);
        for (String part : raw.split("--" + java.util.regex.Pattern.quote(boundary))) {
            int headerEnd = part.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headerEnd);
            String name = headerParam(headers, "name");
            if (name.isEmpty() || !headerParam(headers, "filename").isEmpty()) {
                continue;
            }
            String value = part.substring(headerEnd + 4);
            if (value.endsWith("\r\n")) {
                value = value.substring(0, value.length() - 2);
            }
            params.put(name, new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
    }

    /** {@code key=value} or {@code key="value"} inside a header such as Content-Disposition; "" when absent. */
    static String headerParam(String header, String key) {
        for (String piece : header.split("[;\r\n]")) {
            String t = piece.strip();
            if (t.toLowerCase(Locale.ROOT).startsWith(key + "=")) {
                String v = t.substring(key.length() + 1);
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return "";
    }
}
