package dev.kiebot.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The memory a process tree keeps resident, every physical page counted once however many members map it: the
 * postgres binary, its libraries and the shared buffers are mapped by each of the 7-10 PostgreSQL processes, so
 * the sum of their VmRSS counts the same pages 7-10 times, and PSS splits pages shared with processes outside the
 * tree. Read from {@code /proc/[pid]/pagemap}, which names physical frames only to a privileged reader (root);
 * otherwise the figure is not available.
 */
final class ResidentPages {
    private static final long PRESENT = 1L << 63;
    private static final long FRAME_BITS = (1L << 55) - 1;
    /** Bytes of pagemap read at once: 64 Ki entries, 256 MiB of address space. */
    private static final int CHUNK_BYTES = 8 * 65_536;

    private ResidentPages() {
    }

    /** Resident kB of {@code pids} with every frame once; -1 when frames are hidden from this reader. */
    static long distinctKb(List<Long> pids) {
        Set<Long> frames = new HashSet<>();
        long pageKb = 4;
        boolean framesVisible = true;
        for (long pid : pids) {
            int seen = readFrames(pid, frames);
            if (seen < 0) {
                framesVisible = false;
            }
        }
        return framesVisible ? frames.size() * pageKb : -1;
    }

    /** Adds the process's present frames; -1 when pagemap shows present pages without their frame. */
    private static int readFrames(long pid, Set<Long> frames) {
        Path dir = Path.of("/proc", Long.toString(pid));
        List<String> maps;
        try {
            maps = Files.readAllLines(dir.resolve("maps"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return 0; // gone
        }
        int hidden = 0;
        try (RandomAccessFile pagemap = new RandomAccessFile(dir.resolve("pagemap").toFile(), "r")) {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (String line : maps) {
                if (line.endsWith("[vsyscall]")) {
                    continue;
                }
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                long firstPage = Long.parseUnsignedLong(range[0], 16) / 4096;
                long endPage = Long.parseUnsignedLong(range[1], 16) / 4096;
                for (long page = firstPage; page < endPage; ) {
                    int entries = (int) Math.min(CHUNK_BYTES / 8, endPage - page);
                    buffer.clear().limit(entries * 8);
                    pagemap.seek(page * 8);
                    int read = pagemap.getChannel().read(buffer, page * 8);
                    if (read <= 0) {
                        break;
                    }
                    for (int i = 0; i + 8 <= read; i += 8) {
                        long entry = buffer.getLong(i);
                        if ((entry & PRESENT) != 0) {
                            long frame = entry & FRAME_BITS;
                            if (frame == 0) {
                                hidden++;
                            } else {
                                frames.add(frame);
                            }
                        }
                    }
                    page += read / 8;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0; // gone mid-read: the next sample counts
        }
        return hidden > 0 ? -1 : 0;
    }
}
