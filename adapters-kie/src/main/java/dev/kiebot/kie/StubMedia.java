package dev.kiebot.kie;

import dev.kiebot.core.catalog.Category;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Result bytes of the offline {@link StubProvider}, made without network: a PNG showing (part of)
 * the prompt, a short WAV (sine tones) for audio and music, and a tiny real MP4 (H.264 + AAC,
 * 320×180, 2 s) shipped as a resource for video. Safe under {@code -Djava.awt.headless=true}; if
 * the JVM has no usable fonts, the PNG text is drawn with a built-in 5×7 bitmap font.
 */
public final class StubMedia {
    public static final int PNG_SIZE = 512;
    private static final String MP4_RESOURCE = "/dev/kiebot/kie/stub/stub.mp4";

    // its bytes are made once per file and served as they are, never compared or hashed: the record's equals (the
    // array's identity) is never asked
    /** One deliverable file. */
    @SuppressWarnings("ArrayRecordComponent")
    public record File(String fileName, String mimeType, byte[] bytes) {
    }

    private StubMedia() {
    }

    /** The result file of a category: PNG for images, MP4 for video, WAV for audio and music. */
    public static File forCategory(Category category, String prompt) {
        switch (category) {
            case VIDEO:
                return new File("result.mp4", "video/mp4", mp4());
            case AUDIO:
                return new File("result.wav", "audio/wav", wav(1.5, new double[] {440.0}));
            case MUSIC:
                return new File("result.wav", "audio/wav", wav(2.0, new double[] {261.63, 329.63, 392.0, 523.25}));
            case IMAGE:
            default:
                return new File("result.png", "image/png", png(prompt));
        }
    }

    /** The file name {@link #forCategory} uses for a category. */
    public static String fileName(Category category) {
        switch (category) {
            case VIDEO:
                return "result.mp4";
            case AUDIO:
            case MUSIC:
                return "result.wav";
            case IMAGE:
            default:
                return "result.png";
        }
    }

    /** A 512×512 PNG with a gradient and the text (wrapped, at most 12 lines). */
    public static byte[] png(String text) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage img = background();
        Graphics2D g = img.createGraphics();
        boolean drawn;
        try {
            drawn = drawWithFont(g, text);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable fontsUnavailable) {
            drawn = false;
        } finally {
            g.dispose();
        }
        if (!drawn) {
            img = background();
            drawBitmap(img, text);
        }
        return encode(img);
    }

    /** The same picture drawn only with the built-in bitmap font (no system fonts involved). */
    static byte[] pngWithBitmapFont(String text) {
        BufferedImage img = background();
        drawBitmap(img, text);
        return encode(img);
    }

    private static BufferedImage background() {
        BufferedImage img = new BufferedImage(PNG_SIZE, PNG_SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, new Color(0x1e3a8a), PNG_SIZE, PNG_SIZE, new Color(0x9333ea)));
            g.fillRect(0, 0, PNG_SIZE, PNG_SIZE);
            g.setColor(new Color(255, 255, 255, 40));
            for (int i = 0; i < PNG_SIZE; i += 32) {
                g.drawLine(i, 0, i, PNG_SIZE);
                g.drawLine(0, i, PNG_SIZE, i);
            }
            g.setColor(new Color(0, 0, 0, 90));
            g.fillRoundRect(24, 24, PNG_SIZE - 48, PNG_SIZE - 48, 24, 24);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static boolean drawWithFont(Graphics2D g, String text) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 26));
        FontMetrics fm = g.getFontMetrics();
        g.drawString("kiebot · dry run", 48, 48 + fm.getAscent());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 22));
        fm = g.getFontMetrics();
        int y = 48 + fm.getHeight() * 2 + 16;
        for (String line : wrap(text, s -> g.getFontMetrics().stringWidth(s), PNG_SIZE - 96, 12)) {
            g.drawString(line, 48, y);
            y += fm.getHeight();
        }
        return true;
    }

    interface Width {
        int of(String s);
    }

    // t is trimmed and its spaces single: split(" ") has no empty part to drop
    @SuppressWarnings("StringSplitter")
    static List<String> wrap(String text, Width width, int maxWidth, int maxLines) {
        String t = text == null || text.isBlank() ? "(no prompt)" : text.replaceAll("\\s+", " ").trim();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : t.split(" ")) {
            String w = word;
            while (width.of(w) > maxWidth && w.length() > 1) { // split very long words
                int cut = w.length() - 1;
                while (cut > 1 && width.of(w.substring(0, cut)) > maxWidth) {
                    cut--;
                }
                flush(lines, line);
                lines.add(w.substring(0, cut));
                w = w.substring(cut);
            }
            String candidate = line.length() == 0 ? w : line + " " + w;
            if (width.of(candidate) > maxWidth) {
                flush(lines, line);
                line.append(w);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        flush(lines, line);
        if (lines.size() > maxLines) {
            List<String> cut = new ArrayList<>(lines.subList(0, maxLines));
            cut.set(maxLines - 1, cut.get(maxLines - 1) + " …");
            return cut;
        }
        return lines;
    }

    private static void flush(List<String> lines, StringBuilder line) {
        if (line.length() > 0) {
            lines.add(line.toString());
            line.setLength(0);
        }
    }

    private static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- bitmap font fallback: classic 5x7, column-major, bit 0 = top row, ' ' .. 'Z' ----
    private static final String FONT = ""
            + "0000000000" + "00005f0000" + "0007000700" + "147f147f14" + "242a7f2a12" + "2313086462"
            + "3649552250" + "0005030000" + "001c224100" + "0041221c00" + "082a1c2a08" + "08083e0808"
            + "0050300000" + "0808080808" + "0060600000" + "2010080402" + "3e5149453e" + "00427f4000"
            + "4261514946" + "2141454b31" + "1814127f10" + "2745454539" + "3c4a494930" + "0171090503"
            + "3649494936" + "064949291e" + "0036360000" + "0056360000" + "0008142241" + "1414141414"
            + "4122140800" + "0201510906" + "3249794136" + "7e1111117e" + "7f49494936" + "3e41414122"
            + "7f4141221c" + "7f49494941" + "7f09090101" + "3e41415132" + "7f0808087f" + "00417f4100"
            + "2040413f01" + "7f08142241" + "7f40404040" + "7f0204027f" + "7f0408107f" + "3e4141413e"
            + "7f09090906" + "3e4151215e" + "7f09192946" + "4649494931" + "01017f0101" + "3f4040403f"
            + "1f2040201f" + "7f2018207f" + "6314081463" + "0304780403" + "6151494543";

    private static final Map<Character, String> CYRILLIC = Map.ofEntries(
            Map.entry('А', "A"), Map.entry('Б', "B"), Map.entry('В', "V"), Map.entry('Г', "G"), Map.entry('Д', "D"),
            Map.entry('Е', "E"), Map.entry('Ё', "E"), Map.entry('Ж', "ZH"), Map.entry('З', "Z"), Map.entry('И', "I"),
            Map.entry('Й', "Y"), Map.entry('К', "K"), Map.entry('Л', "L"), Map.entry('М', "M"), Map.entry('Н', "N"),
            Map.entry('О', "O"), Map.entry('П', "P"), Map.entry('Р', "R"), Map.entry('С', "S"), Map.entry('Т', "T"),
            Map.entry('У', "U"), Map.entry('Ф', "F"), Map.entry('Х', "H"), Map.entry('Ц', "TS"), Map.entry('Ч', "CH"),
            Map.entry('Ш', "SH"), Map.entry('Щ', "SCH"), Map.entry('Ъ', ""), Map.entry('Ы', "Y"), Map.entry('Ь', ""),
            Map.entry('Э', "E"), Map.entry('Ю', "YU"), Map.entry('Я', "YA"));

    /** Upper-case ASCII the bitmap font can draw (Cyrillic transliterated, the rest '?'). */
    static String toBitmapAlphabet(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : (text == null ? "" : text).toUpperCase(Locale.ROOT).toCharArray()) {
            if (c >= ' ' && c <= 'Z') {
                sb.append(c);
            } else if (CYRILLIC.containsKey(c)) {
                sb.append(CYRILLIC.get(c));
            } else if (Character.isWhitespace(c)) {
                sb.append(' ');
            } else {
                sb.append('?');
            }
        }
        return sb.toString();
    }

    private static void drawBitmap(BufferedImage img, String text) {
        int scale = 3;
        int advance = 6 * scale;
        drawBitmapLine(img, "KIEBOT - DRY RUN", 48, 48, 4);
        List<String> lines = wrap(toBitmapAlphabet(text), s -> s.length() * advance, PNG_SIZE - 96, 16);
        int y = 48 + 8 * 4 + 24;
        for (String line : lines) {
            drawBitmapLine(img, line, 48, y, scale);
            y += 9 * scale;
        }
    }

    private static void drawBitmapLine(BufferedImage img, String line, int x0, int y0, int scale) {
        int x = x0;
        int white = 0xffffff;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            int idx = (c >= ' ' && c <= 'Z' ? c : '?') - ' ';
            for (int col = 0; col < 5; col++) {
                int bits = Integer.parseInt(FONT.substring(idx * 10 + col * 2, idx * 10 + col * 2 + 2), 16);
                for (int row = 0; row < 7; row++) {
                    if ((bits >> row & 1) != 0) {
                        for (int dx = 0; dx < scale; dx++) {
                            for (int dy = 0; dy < scale; dy++) {
                                int px = x + col * scale + dx;
                                int py = y0 + row * scale + dy;
                                if (px < img.getWidth() && py < img.getHeight()) {
                                    img.setRGB(px, py, white);
                                }
                            }
                        }
                    }
                }
            }
            x += 6 * scale;
        }
    }

    // ---- WAV ----

    /** A 16-bit mono 22.05 kHz PCM WAV playing the tones one after another, with short fades. */
    public static byte[] wav(double seconds, double[] tonesHz) {
        int rate = 22_050;
        int samples = (int) Math.round(seconds * rate);
        int perTone = Math.max(1, samples / tonesHz.length);
        ByteBuffer buf = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        buf.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + samples * 2)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(samples * 2);
        int fade = rate / 100;
        for (int i = 0; i < samples; i++) {
            int tone = Math.min(tonesHz.length - 1, i / perTone);
            int pos = i - tone * perTone;
            double env = Math.min(1.0, Math.min(pos, perTone - pos) / (double) fade);
            double v = Math.sin(2 * Math.PI * tonesHz[tone] * i / rate) * 0.4 * Math.max(0, env);
            buf.putShort((short) Math.round(v * Short.MAX_VALUE));
        }
        return buf.array();
    }

    // ---- MP4 ----

    /** The shipped 2-second MP4 (H.264 baseline + AAC, faststart). */
    public static byte[] mp4() {
        try (InputStream in = StubMedia.class.getResourceAsStream(MP4_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + MP4_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
