package dev.kiebot.runtime.config;

import dev.kiebot.core.text.TextOverrides;
import dev.kiebot.core.text.Texts;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeSet;

/**
 * {@code TEXTS_FILE}: the shop's own texts in place of kiebot's (its terms and privacy policy, which name the seller;
 * its welcome or help), a UTF-8 {@code .properties} file of {@code <language>.<key>} lines ({@code ru.terms=…}).
 * Read and checked at start as core's {@code Shop.builder().texts} checks them, so that a wrong key or a text
 * without its placeholders stops the start naming the file and the key, not the build of the shop after the
 * database started.
 */
final class TextsFile {
    static final String VARIABLE = "TEXTS_FILE";

    private TextsFile() {
    }

    static TextOverrides read(Env env) {
        return env.optional(VARIABLE).map(given -> read(env, given)).orElse(TextOverrides.none());
    }

    private static TextOverrides read(Env env, String given) {
        Path file;
        try {
            file = Path.of(given);
        } catch (InvalidPathException e) {
            env.problem(VARIABLE + " must be the path of a UTF-8 .properties file of the shop's own texts; "
                    + given + " is no path (" + e.getReason() + ")");
            return TextOverrides.none();
        }
        Properties lines = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines.load(in);
        } catch (CharacterCodingException e) {
            env.problem(VARIABLE + " " + file + " is not UTF-8: save it as UTF-8");
            return TextOverrides.none();
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a \\u escape not followed by four hex digits
            env.problem(VARIABLE + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): give the path of a UTF-8 .properties file the bot's user can read");
            return TextOverrides.none();
        }
        TextOverrides.Builder texts = TextOverrides.builder();
        boolean wrongKey = false;
        for (String name : new TreeSet<>(lines.stringPropertyNames())) {
            int dot = name.indexOf('.');
            if (dot <= 0 || dot == name.length() - 1) {
                env.problem(VARIABLE + " " + file + ": the key " + name + " must be <language>.<text's key>, e.g. "
                        + "ru.terms or en.privacy");
                wrongKey = true;
                continue;
            }
            texts.text(name.substring(0, dot), name.substring(dot + 1), lines.getProperty(name));
        }
        TextOverrides overrides = texts.build();
        if (overrides.isEmpty() && !wrongKey) {
            env.notice(VARIABLE + " " + file + " holds no text: every text is kiebot's");
        }
        try {
            new Texts().with(overrides);
        } catch (IllegalArgumentException e) {
            env.problem(VARIABLE + " " + file + ": " + e.getMessage());
            return TextOverrides.none();
        }
        return wrongKey ? TextOverrides.none() : overrides;
    }
}
