package dev.kiebot.runtime.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reports.DayFigures;
import dev.kiebot.core.reports.ShopChart;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The chart is a real PNG of the promised size, drawn for any number of days, labels in any language. */
class JFreeChartRendererTest {
    private final JFreeChartRenderer renderer = new JFreeChartRenderer();

    private static List<DayFigures> days(int n) {
        List<DayFigures> out = new ArrayList<>();
        LocalDate first = LocalDate.parse("2026-10-23");
        for (int i = 0; i < n; i++) {
            out.add(new DayFigures(first.plusDays(i), (i % 7) * 31_250L, i % 5));
        }
        return out;
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        return image;
    }

    /** Pixels of the image that are neither white nor nearly white: something was drawn. */
    private static long inked(BufferedImage image) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 600) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void thirtyDaysBecomeAPngOfTheChartsSize() throws IOException {
        BufferedImage image = decode(renderer.png(new ShopChart("Revenue and generations per day, last 30 days",
                "Revenue, RUB", "Generations", days(30))));
        assertThat(image.getWidth()).isEqualTo(JFreeChartRenderer.WIDTH);
        assertThat(image.getHeight()).isEqualTo(JFreeChartRenderer.HEIGHT);
        assertThat(inked(image)).isGreaterThan(2_000);
    }

    @Test
    void oneDayAQuietMonthAndRussianLabelsDrawToo() throws IOException {
        decode(renderer.png(new ShopChart("Один день", "Выручка, RUB", "Генерации", days(1))));
        List<DayFigures> quiet = days(90).stream().map(d -> new DayFigures(d.day(), 0, 0)).toList();
        BufferedImage image = decode(renderer.png(new ShopChart("Выручка и генерации по дням", "Выручка, RUB",
                "Генерации", quiet)));
        assertThat(inked(image)).isGreaterThan(500);
    }
}
