package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Category;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

class StubMediaTest {

    @Test
    void pngShowsTextAndDecodes() throws Exception {
        byte[] png = StubMedia.png("Кот в сапогах, 4k, cinematic lighting " + "very long prompt ".repeat(50));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isEqualTo(512);
        assertThat(img.getHeight()).isEqualTo(512);
        assertThat(whitePixels(img)).isGreaterThan(500); // text was drawn
    }

    @Test
    void bitmapFallbackDrawsWithoutSystemFonts() throws Exception {
        byte[] png = StubMedia.pngWithBitmapFont("Привет, fox! 123");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img).isNotNull();
        assertThat(whitePixels(img)).isGreaterThan(500);
        assertThat(StubMedia.toBitmapAlphabet("Привет, fox! ©")).isEqualTo("PRIVET, FOX! ?");
    }

    private static int whitePixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == 0xffffff) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void wrapKeepsLinesWithinWidth() {
        List<String> lines = StubMedia.wrap("one two three " + "x".repeat(40), String::length, 10, 20);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(10));
        assertThat(String.join("", lines).replace(" ", "")).isEqualTo("onetwothree" + "x".repeat(40));
        assertThat(StubMedia.wrap("", String::length, 20, 3)).containsExactly("(no prompt)");
        assertThat(StubMedia.wrap("a b c d e f", String::length, 1, 2)).hasSize(2);
    }

    @Test
    void wavIsValidPcm() throws Exception {
        byte[] wav = StubMedia.wav(1.0, new double[] {440.0, 880.0});
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            assertThat(f.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
            assertThat(f.getChannels()).isEqualTo(1);
            assertThat(f.getSampleSizeInBits()).isEqualTo(16);
            assertThat(in.getFrameLength()).isEqualTo(22_050);
        }
    }

    @Test
    void mp4IsAnIsoBmffFileWithVideo() {
        byte[] mp4 = StubMedia.mp4();
        assertThat(mp4.length).isBetween(1_000, 100_000);
        List<String> top = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(mp4);
        while (b.remaining() >= 8) {
            int size = b.getInt();
            byte[] type = new byte[4];
            b.get(type);
            top.add(new String(type, StandardCharsets.US_ASCII));
            assertThat(size).isGreaterThanOrEqualTo(8);
            b.position(b.position() + size - 8);
        }
        assertThat(b.remaining()).isZero();
        assertThat(top).startsWith("ftyp").contains("moov", "mdat");
        assertThat(new String(mp4, StandardCharsets.ISO_8859_1)).contains("avc1");
    }

    @Test
    void fileNamesPerCategory() {
        assertThat(StubMedia.forCategory(Category.IMAGE, "x").fileName()).isEqualTo(StubMedia.fileName(Category.IMAGE));
        assertThat(StubMedia.forCategory(Category.VIDEO, "x").fileName()).isEqualTo("result.mp4");
        assertThat(StubMedia.forCategory(Category.AUDIO, "x").mimeType()).isEqualTo("audio/wav");
        assertThat(StubMedia.forCategory(Category.MUSIC, "x").fileName()).isEqualTo("result.wav");
    }
}
