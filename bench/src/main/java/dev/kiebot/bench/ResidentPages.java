package dev.kiebot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
    private static final long PAGE_BYTES = 4096;
    private static final long PAGE_KB = PAGE_BYTES / 1024;
    /** Bytes of pagemap read at once: 64 Ki entries, 256 MiB of address space. */
    private static final int CHUNK_BYTES = 8 * 65_536;

    private ResidentPages() {
    }

    /** Resident kB of {@code pids} with every frame once; -1 when frames are hidden from this reader. */
    static long distinctKb(List<Long> pids) {
        Set<Long> frames = new HashSet<>();
        boolean framesVisible = true;
        for (long pid : pids) {
            framesVisible &= readFrames(pid, frames);
        }
        return framesVisible ? frames.size() * PAGE_KB : -1;
    }

    /** Adds the process's present frames. @return false when pagemap shows present pages without their frame */
    private static boolean readFrames(long pid, Set<Long> frames) {
        Path dir = Path.of("/proc", Long.toString(pid));
        List<String> maps;
        try {
            maps = Files.readAllLines(dir.resolve("maps"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return true; // gone
        }
        boolean hidden = false;
        try (FileChannel pagemap = FileChannel.open(dir.resolve("pagemap"))) {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (String line : maps) {
                if (!line.endsWith("[vsyscall]")) {
                    String[] range = line.substring(0, line.indexOf(' ')).split("-");
                    hidden |= readRange(pagemap, buffer, Long.parseUnsignedLong(range[0], 16) / PAGE_BYTES,
                            Long.parseUnsignedLong(range[1], 16) / PAGE_BYTES, frames);
                }
            }
        } catch (IOException | RuntimeException e) {
            return true; // gone mid-read: the next sample counts
        }
        return !hidden;
    }

    /** Adds the present frames of pages [firstPage, endPage). @return true when some frame was hidden */
    private static boolean readRange(FileChannel pagemap, ByteBuffer buffer, long firstPage, long endPage,
                                     Set<Long> frames) throws IOException {
        boolean hidden = false;
        for (long page = firstPage; page < endPage; ) {
            buffer.clear().limit((int) Math.min(CHUNK_BYTES / 8, endPage - page) * 8);
            int read = pagemap.read(buffer, page * 8);
            if (read <= 0) {
                return hidden;
            }
            for (int i = 0; i + 8 <= read; i += 8) {
                long entry = buffer.getLong(i);
                long frame = entry & FRAME_BITS;
                if ((entry & PRESENT) != 0) {
                    hidden |= frame == 0;
                    if (frame != 0) {
                        frames.add(frame);
                    }
                }
            }
            page += read / 8;
        }
        return hidden;
    }
}
