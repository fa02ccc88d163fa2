package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A clip's length read from its bytes, the longest any reading of the file gives: the frames a player plays and what
 * the headers say. A file that lies in one place, carries bytes the reading cannot account for, or is of a format not
 * read here has no length, and the job is refunded rather than sent at a price its length does not fit.
 */
class ClipLengthTest {

    private static double seconds(byte[] clip) {
        return ClipLength.seconds(clip).orElseThrow();
    }

    // ---- WAV

    @Test
    void aWavLastsItsSamples() {
        assertThat(seconds(TrustBoundariesTest.wav(30))).isCloseTo(30, within(0.001));
    }

    @Test
    void aWavWhoseHeaderSaysASlowerRateThanItsSamplesIsAsLongAsItsHeaderSays() {
        byte[] slower = TrustBoundariesTest.wav(30);
        ByteBuffer.wrap(slower).order(ByteOrder.LITTLE_ENDIAN).putInt(28, 10);
        assertThat(seconds(slower)).isCloseTo(3_000, within(0.001));
    }

    /**
     * A WAV piped from ffmpeg (or any streaming writer, which cannot go back to fill in the sizes) says 0xFFFFFFFF for
     * its RIFF and data sizes, or 0; an upload cut short says more data than it holds (an hour, holding 30 s). Players
     * play the bytes there are: 30 s, not the hours the sizes would say, and a sample that reads "data" is no chunk.
     */
    @Test
    void aWavWhoseSizesAreUnknownOrLargerThanItsBytesLastsTheSamplesItHolds() {
        for (int said : new int[] {0xFFFF_FFFF, 0, 3_600_000}) {
            byte[] clip = TrustBoundariesTest.wav(30);
            ByteBuffer.wrap(clip).order(ByteOrder.LITTLE_ENDIAN).putInt(4, said == 3_600_000 ? 36 + said : said)
                    .putInt(40, said);
            assertThat(seconds(clip)).as("sizes %08x", said).isCloseTo(30, within(0.001));
        }
        byte[] unsized = TrustBoundariesTest.wav(30);
        ByteBuffer.wrap(unsized).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0).putInt(40, 0).position(44)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(10);
        assertThat(seconds(unsized)).as("samples reading \"data\"").isCloseTo(30, within(0.001));
    }

    /**
     * A fact chunk saying an hour of frames in a PCM file cut short: ffmpeg (and ffprobe, which a provider may ask)
     * takes that for its length when the data runs past the file's end, so the file is as long as the fact says.
     */
    @Test
    void aWavCutShortIsAsLongAsItsFactChunkSays() {
        byte[] hour = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(3_600 * 1_000).array();
        byte[] data = chunk("data", new byte[30 * 1_000]);
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 30 * 1_000 + 1);
        assertThat(seconds(riffWave(chunk("fmt ", fmt(1, 1, 1_000, 1_000, 1, 8)), chunk("fact", hour), data)))
                .isCloseTo(3_600, within(0.001));
    }

    /**
     * A block size and byte rate far above what the channels and bits per sample say (8-bit mono at 1 kHz claiming
     * 65,535-byte blocks): a decoder counts samples by the channels and bits, so an hour still plays for an hour.
     */
    @Test
    void aWavWhoseBlockSizeAndByteRateOverstateItsFramesIsAsLongAsItsChannelsAndBitsSay() {
        byte[] lying = TrustBoundariesTest.wav(3_600);
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putInt(28, 0x7FFF_FFFF).putShort(32, (short) 0xFFFF);
        assertThat(seconds(lying)).isCloseTo(3_600, within(0.001));
    }

    /** 12 bits a sample are stored in 2 bytes: 10 s of them last 10 s, as a player reads them, not 13.3. */
    @Test
    void aWavOfBitsThatAreNoWholeByteLastsItsSamples() {
        int data = 10 * 1_000 * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(1_000).putInt(2_000).putShort((short) 2)
                .putShort((short) 12).put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        assertThat(seconds(b.array())).isCloseTo(10, within(0.001));
    }

    @Test
    void aWavWithNoChannelsOrNoBitsPerSampleHasNoLength() {
        byte[] noChannels = TrustBoundariesTest.wav(30);
        ByteBuffer.wrap(noChannels).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 0);
        assertThat(ClipLength.seconds(noChannels)).isEmpty();
        byte[] noBits = TrustBoundariesTest.wav(30);
        ByteBuffer.wrap(noBits).order(ByteOrder.LITTLE_ENDIAN).putShort(34, (short) 0);
        assertThat(ClipLength.seconds(noBits)).isEmpty();
    }

    @Test
    void aWavOfACompressedFormatHasNoLengthReadHere() {
        byte[] adpcm = TrustBoundariesTest.wav(30);
        ByteBuffer.wrap(adpcm).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 2);
        assertThat(ClipLength.seconds(adpcm)).isEmpty();
    }

    /** A RIFF chunk: its name, size and body, padded to an even length. */
    private static byte[] chunk(String name, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        return b.put(name.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body).array();
    }

    private static byte[] riffWave(byte[]... chunks) {
        byte[] inside = join(chunks);
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + inside.length)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        return join(head.array(), inside);
    }

    /** A 16-byte fmt chunk's body. */
    private static byte[] fmt(int format, int channels, int rate, int byteRate, int blockAlign, int bits) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) format)
                .putShort((short) channels).putInt(rate).putInt(byteRate).putShort((short) blockAlign)
                .putShort((short) bits).array();
    }

    /** A WAVE_FORMAT_EXTENSIBLE fmt body (40 bytes) whose SubFormat is {@code code} on the KSDATAFORMAT GUID. */
    private static byte[] extensible(int channels, int rate, int bits, int code) {
        int block = channels * bits / 8;
        return ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN)
                .put(fmt(0xFFFE, channels, rate, rate * block, block, bits)).putShort((short) 22)
                .putShort((short) bits).putInt(3).putInt(code).putShort((short) 0).putShort((short) 0x10)
                .put(new byte[] {(byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71}).array();
    }

    /**
     * An hour of 8-bit mono at 1 kHz whose first fmt says so, then a second fmt of 8 channels of 32 bits at 1 MHz
     * (0.11 s of the same bytes): ffmpeg reads only the first fmt ("only parse the first 'fmt ' tag found").
     */
    static byte[] wavWithASecondFmt() {
        return riffWave(chunk("fmt ", fmt(1, 1, 1_000, 1_000, 1, 8)),
                chunk("fmt ", fmt(1, 8, 1_000_000, 32_000_000, 32, 32)), chunk("data", new byte[3_600 * 1_000]));
    }

    @Test
    void aWavWithASecondFmtChunkHasNoLengthAsPlayersReadTheFirst() {
        assertThat(ClipLength.seconds(wavWithASecondFmt())).isEmpty();
    }

    /**
     * A fmt of 14 bytes (the plain WAVEFORMAT: ffmpeg takes it for 8 bits a sample) would have its bits read from the
     * next chunk's name ("da": 24,932 bits), bringing an hour of 8-bit mono down to 1.2 s; a fmt of 16 that says as
     * many bits is no PCM a decoder plays. Neither has a length.
     */
    @Test
    void aWavWhoseFmtIsOfNoPcmSizeOrSaysMoreThan64BitsASampleHasNoLength() {
        byte[] data = chunk("data", new byte[3_600 * 1_000]);
        byte[] waveformat = Arrays.copyOf(fmt(1, 1, 1_000, 0x7FFF_FFFF, 0xFFFF, 0), 14);
        assertThat(ClipLength.seconds(riffWave(chunk("fmt ", waveformat), data))).isEmpty();
        byte[] wideBits = fmt(1, 1, 1_000, 0x7FFF_FFFF, 0xFFFF, 24_932);
        assertThat(ClipLength.seconds(riffWave(chunk("fmt ", wideBits), data))).isEmpty();
    }

    /**
     * WAVE_FORMAT_EXTENSIBLE's SubFormat names the codec a decoder plays (ffmpeg's parse_waveformatex): PCM and float
     * last their samples, and anything else (MP3 here: its length is in its frames, not in the header's arithmetic,
     * 8 channels of 32 bits at 1 MHz) has no length read here, as it has as a plain fmt of that format.
     */
    @Test
    void anExtensibleWavLastsItsSamplesWhenItsSubformatIsPcmOrFloatAndHasNoLengthOtherwise() {
        byte[] pcm = riffWave(chunk("fmt ", extensible(2, 48_000, 16, 1)), chunk("data", new byte[10 * 192_000]));
        assertThat(seconds(pcm)).isCloseTo(10, within(0.001));
        byte[] floats = riffWave(chunk("fmt ", extensible(1, 8_000, 32, 3)), chunk("data", new byte[10 * 32_000]));
        assertThat(seconds(floats)).isCloseTo(10, within(0.001));
        byte[] mp3Inside = riffWave(chunk("fmt ", extensible(8, 1_000_000, 32, 0x55)),
                chunk("data", new byte[3_600 * 1_000]));
        assertThat(ClipLength.seconds(mp3Inside)).isEmpty();
    }

    /**
     * ffmpeg plays the last data chunk, and its header length is that chunk's size: a second one saying an hour after
     * a first of a second (both the bytes that follow) would be read by its size, so the file has no length.
     */
    @Test
    void aWavWithASecondDataChunkHasNoLength() {
        byte[] hourSaid = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(3_600 * 1_000).array();
        assertThat(ClipLength.seconds(riffWave(chunk("fmt ", fmt(1, 1, 1_000, 1_000, 1, 8)),
                chunk("data", new byte[1_000]), hourSaid, new byte[1_000]))).isEmpty();
    }

    /** ffmpeg takes an XMA2 chunk before the fmt for the stream's format and skips the fmt. */
    @Test
    void aWavWithAnXma2ChunkBeforeItsFmtHasNoLength() {
        byte[] xma2 = chunk("XMA2", new byte[34]);
        assertThat(ClipLength.seconds(riffWave(xma2, chunk("fmt ", fmt(1, 1, 1_000, 1_000, 1, 8)),
                chunk("data", new byte[30_000])))).isEmpty();
    }

    /**
     * Files as recorders and editors write them still last their samples: 16-bit stereo PCM after an INFO list of an
     * odd size (padded), and float with the 18-byte fmt (cbSize 0), a fact chunk and the list after its data.
     */
    @Test
    void ordinaryWavsWithListAndFactChunksLastTheirSamples() {
        byte[] info = chunk("LIST", join("INFOINAM".getBytes(StandardCharsets.US_ASCII), new byte[] {5, 0, 0, 0},
                "Song".getBytes(StandardCharsets.US_ASCII), new byte[] {0}));
        byte[] pcm = riffWave(chunk("fmt ", fmt(1, 2, 44_100, 176_400, 4, 16)), info,
                chunk("data", new byte[30 * 176_400]));
        assertThat(seconds(pcm)).isCloseTo(30, within(0.001));
        byte[] floatFmt = join(fmt(3, 1, 48_000, 192_000, 4, 32), new byte[2]);
        byte[] fact = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(20 * 48_000).array();
        byte[] floats = riffWave(chunk("fmt ", floatFmt), chunk("fact", fact), chunk("data", new byte[20 * 192_000]),
                info);
        assertThat(seconds(floats)).isCloseTo(20, within(0.001));
    }

    // ---- MP3

    /** MPEG 1 layer III frames at {@code kbps} and 44.1 kHz, 1,152 samples each. */
    private static byte[] mp3(int frames, int kbps) {
        int index = Arrays.asList(0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320).indexOf(kbps);
        int length = 144 * kbps * 1000 / 44_100;
        byte[] out = new byte[frames * length];
        for (int f = 0; f < frames; f++) {
            out[f * length] = (byte) 0xFF;
            out[f * length + 1] = (byte) 0xFB;
            out[f * length + 2] = (byte) (index << 4);
        }
        return out;
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void anMp3LastsItsFramesAfterItsTagsWhatever() {
        double perFrame = 1_152 / 44_100.0;
        assertThat(seconds(mp3(1_000, 128))).isCloseTo(1_000 * perFrame, within(0.05));
        byte[] id3 = new byte[10 + 20];
        System.arraycopy("ID3".getBytes(StandardCharsets.US_ASCII), 0, id3, 0, 3);
        id3[9] = 20;
        byte[] id3v1 = new byte[128];
        System.arraycopy("TAG".getBytes(StandardCharsets.US_ASCII), 0, id3v1, 0, 3);
        assertThat(seconds(join(id3, mp3(1_000, 128), id3v1))).isCloseTo(1_000 * perFrame, within(0.05));
    }

    /** An ID3v2.4 tag holding a title, as taggers write it. */
    @Test
    void anMp3AfterARealId3v2TagLastsItsFrames() {
        byte[] title = join("TIT2".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 0, 6, 0, 0, 3},
                "Fox.".getBytes(StandardCharsets.US_ASCII), new byte[] {0});
        byte[] header = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, (byte) (title.length + 100)};
        byte[] tag = join(header, title, new byte[100]);
        assertThat(seconds(join(tag, mp3(1_000, 128)))).isCloseTo(1_000 * 1_152 / 44_100.0, within(0.05));
    }

    /**
     * "ID3" with a header no player takes for a tag's (ffmpeg's ff_id3v2_match and mpg123: a version or revision byte
     * of 0xFF, a size byte with its high bit set; minimp3: low flag bits set): players resync to the frames inside
     * it and play them (ten minutes here, before 2.6 s after it). Such a file has no length, not the 2.6 s.
     */
    @Test
    void framesInsideAnId3HeaderNoPlayerTakesForATagLeaveTheFileWithNoLength() {
        byte[] hidden = mp3(23_000, 32);
        int size = hidden.length;
        byte[] valid = {'I', 'D', '3', 4, 0, 0, (byte) ((size >> 21) & 0x7F), (byte) ((size >> 14) & 0x7F),
                (byte) ((size >> 7) & 0x7F), (byte) (size & 0x7F)};
        assertThat(seconds(join(valid, hidden, mp3(100, 32)))).as("a tag all players skip").isLessThan(3);
        for (int[] change : new int[][] {{3, 0xFF}, {4, 0xFF}, {5, 0x01}, {6, valid[6] | 0x80}, {9, valid[9] | 0x80}}) {
            byte[] header = valid.clone();
            header[change[0]] = (byte) change[1];
            assertThat(ClipLength.seconds(join(header, hidden, mp3(100, 32)))).as("byte %d", change[0]).isEmpty();
        }
    }

    @Test
    void anMp3WithBytesThatAreNoFrameHasNoLength() {
        byte[] garbage = new byte[500];
        Arrays.fill(garbage, (byte) 0x55);
        assertThat(ClipLength.seconds(join(mp3(100, 128), garbage, mp3(100_000, 32)))).isEmpty();
        assertThat(ClipLength.seconds("not a sound at all".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void anMp3IsAsLongAsItsFirstFramesBitrateOrItsVbrHeaderSays() {
        // a first frame of 32 kb/s before frames of 320: a provider reading its bitrate takes the file for 10x longer
        assertThat(seconds(join(mp3(1, 32), mp3(1_000, 320)))).isGreaterThan(200);
        byte[] xing = mp3(100, 128);
        int at = 4 + 32;
        System.arraycopy("Xing".getBytes(StandardCharsets.US_ASCII), 0, xing, at, 4);
        xing[at + 7] = 1;
        ByteBuffer.wrap(xing).putInt(at + 8, 200_000);
        assertThat(seconds(xing)).isCloseTo(200_000 * 1_152 / 44_100.0, within(1.0));
    }

    // ---- Ogg Opus

    private static byte[] page(int serial, long granule, byte[]... packets) {
        ByteArrayOutputStream lacing = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            int left = p.length;
            while (left >= 255) {
                lacing.write(255);
                left -= 255;
            }
            lacing.write(left);
            body.writeBytes(p);
        }
        ByteBuffer head = ByteBuffer.allocate(27).order(ByteOrder.LITTLE_ENDIAN);
        head.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0).putLong(granule)
                .putInt(serial).putInt(0).putInt(0).put((byte) lacing.size());
        return join(head.array(), lacing.toByteArray(), body.toByteArray());
    }

    private static byte[] opusHead() {
        return ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN).put("OpusHead".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1).put((byte) 1).putShort((short) 312).putInt(48_000).putShort((short) 0).put((byte) 0)
                .array();
    }

    private static byte[] opusTags() {
        return join("OpusTags".getBytes(StandardCharsets.US_ASCII), new byte[8]);
    }

    /** A voice message as Telegram's clients record it: 20 ms packets, {@code packets} of them, pages of 50. */
    private static byte[] voice(int packets, long granuleEvery) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(page(7, 0, opusHead()));
        out.writeBytes(page(7, 0, opusTags()));
        byte[] packet = new byte[40];
        packet[0] = (byte) 0xF8; // CELT, 20 ms, one frame
        for (int done = 0; done < packets; done += 50) {
            byte[][] onPage = new byte[Math.min(50, packets - done)][];
            Arrays.fill(onPage, packet);
            out.writeBytes(page(7, granuleEvery * (done + onPage.length), onPage));
        }
        return out.toByteArray();
    }

    @Test
    void aVoiceMessageLastsItsPackets() {
        assertThat(seconds(voice(3_000, 960))).isCloseTo(60, within(0.05));
    }

    @Test
    void aVoiceMessageWhosePagesSayLessOrMoreIsAsLongAsTheLongerReading() {
        assertThat(seconds(voice(3_000, 1))).as("granules saying almost nothing").isCloseTo(60, within(0.05));
        assertThat(seconds(voice(3_000, 96_000))).as("granules saying 100 times more").isGreaterThan(5_900);
    }

    /**
     * An empty packet (or one of code 3 without its frame count) holds no frame: opusfile drops it, but a decoder
     * given it conceals a lost packet with as much sound as it is asked for, so each counts as the longest a packet
     * lasts, 120 ms: 3,000 of them between two real packets, pages saying 40 ms, read as 6 minutes.
     */
    @Test
    void aVoiceMessageOfPacketsHoldingNoFrameCountsEachAsTheLongestAPacketLasts() {
        byte[] real = new byte[40];
        real[0] = (byte) 0xF8;
        byte[][] empty = new byte[150][];
        Arrays.fill(empty, new byte[0]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(join(page(7, 0, opusHead()), page(7, 0, opusTags()), page(7, 960, real)));
        for (int p = 0; p < 20; p++) {
            out.writeBytes(page(7, 960, empty));
        }
        out.writeBytes(page(7, 1_920, real, new byte[] {(byte) 0xFB}));
        assertThat(seconds(out.toByteArray())).isGreaterThan(3_000 * 0.12);
    }

    /**
     * A 20 MB Ogg Opus (Telegram's download cap) of empty packets, 255 a page, some 19 million of them: measured in a
     * JVM of the runner's heap (-Xmx128m, small-box.jvm) as the walk reads each packet as it comes. Kept in a list
     * (as from e6ac046c), with their bytes, they took some 400 MB: an OutOfMemoryError out of TaskSubmission.submit.
     */
    @Test
    void twentyMegabytesOfEmptyOggPacketsAreMeasuredInTheRunnersHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), EmptyPackets.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    /** Builds the clip and measures it; exits 0 when it has a length. */
    static final class EmptyPackets {
        public static void main(String[] args) {
            byte[][] empty = new byte[255][];
            Arrays.fill(empty, new byte[0]);
            byte[] empties = page(7, 0, empty);
            byte[] headers = join(page(7, 0, opusHead()), page(7, 0, opusTags()));
            int pages = (20 * 1024 * 1024 - headers.length) / empties.length;
            ByteBuffer clip = ByteBuffer.allocate(headers.length + pages * empties.length).put(headers);
            for (int i = 0; i < pages; i++) {
                clip.put(empties);
            }
            System.exit(ClipLength.seconds(clip.array()).isPresent() ? 0 : 1);
        }
    }

    /** An Ogg page (version 0) with these header flags (1: it continues a packet) and segment sizes. */
    private static byte[] page(int flags, long granule, int[] lacing, byte[] body) {
        ByteBuffer head = ByteBuffer.allocate(27 + lacing.length).order(ByteOrder.LITTLE_ENDIAN);
        head.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) flags).putLong(granule)
                .putInt(7).putInt(0).putInt(0).put((byte) lacing.length);
        for (int l : lacing) {
            head.put((byte) l);
        }
        return join(head.array(), body);
    }

    /**
     * A packet left open at a page's end goes on in the next page, marked as continuing it (as libogg writes: such a
     * voice message lasts its packets). Not so marked, libogg (opusfile) drops the open packet's start and ffmpeg
     * joins the two, each finding packets of its own (a 2.5 ms start, a 120 ms packet after it): no length.
     */
    @Test
    void oggWhosePageDoesNotContinueThePacketTheLastLeftOpenHasNoLength() {
        byte[] start = new byte[255];
        start[0] = (byte) 0x80; // a 2.5 ms CELT frame, one
        byte[] longest = {(byte) 0x1B, 0x02}; // 60 ms SILK frames, code 3, two of them
        byte[] headers = join(page(7, 0, opusHead()), page(7, 0, opusTags()));
        byte[] marked = join(headers, page(0, 0, new int[] {255}, start), page(1, 120, new int[] {0}, new byte[0]),
                page(0, 120 + 5_760, new int[] {2}, longest));
        assertThat(seconds(marked)).isCloseTo((120 + 5_760) / 48_000.0, within(0.001));
        byte[] unmarked = join(headers, page(0, 0, new int[] {255}, start), page(0, 120, new int[] {2}, longest));
        assertThat(ClipLength.seconds(unmarked)).isEmpty();
        byte[] markedWithNoneOpen = join(headers, page(1, 5_760, new int[] {2}, longest));
        assertThat(ClipLength.seconds(markedWithNoneOpen)).isEmpty();
    }

    @Test
    void oggOfAnotherCodecOrWithASecondStreamOrTrailingBytesHasNoLength() {
        byte[] flacHead = join(new byte[] {0x7F}, "FLAC".getBytes(StandardCharsets.US_ASCII), new byte[46]);
        byte[] flac = join(page(7, 0, flacHead), page(7, 0, new byte[10]));
        assertThat(ClipLength.seconds(flac)).isEmpty();
        assertThat(ClipLength.seconds(join(voice(100, 960), page(8, 0, opusHead())))).isEmpty();
        assertThat(ClipLength.seconds(join(voice(100, 960), new byte[] {1, 2, 3}))).isEmpty();
        byte[] cutInItsSegmentTable = Arrays.copyOf(page(7, 0, new byte[10], new byte[10]), 27);
        assertThat(ClipLength.seconds(join(voice(100, 960), cutInItsSegmentTable))).isEmpty();
    }

    // ---- Ogg Vorbis

    /** A Vorbis identification header: mono at 44.1 kHz, blocks of 256 and 2,048 samples, as libvorbis writes. */
    private static byte[] vorbisId() {
        return ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN).put((byte) 1)
                .put("vorbis".getBytes(StandardCharsets.US_ASCII)).putInt(0).put((byte) 1).putInt(44_100).putInt(0)
                .putInt(128_000).putInt(0).put((byte) 0xB8).put((byte) 1).array();
    }

    private static byte[] vorbisComment() {
        return join(new byte[] {3}, "vorbis".getBytes(StandardCharsets.US_ASCII), new byte[8], new byte[] {1});
    }

    /**
     * A Vorbis setup header: bytes that are no mode (its codebooks, floors, residues and mappings), then the modes, of
     * long blocks where true, each on mapping 0, and the framing bit.
     */
    private static byte[] vorbisSetup(boolean... longModes) {
        StringBuilder bits = new StringBuilder();
        bits.append(lowFirst(longModes.length - 1, 6));
        for (boolean longBlocks : longModes) {
            bits.append(longBlocks ? "1" : "0").append(lowFirst(0, 40));
        }
        return vorbisSetup(16, bits.append('1').toString());
    }

    /** A Vorbis setup header: {@code filler} bytes of 0xFF, then these bits (each the next lowest one first). */
    private static byte[] vorbisSetup(int filler, String bits) {
        byte[] packed = new byte[(bits.length() + 7) / 8];
        for (int i = 0; i < bits.length(); i++) {
            packed[i / 8] |= (byte) ((bits.charAt(i) - '0') << (i % 8));
        }
        byte[] codebooksAndAll = new byte[filler];
        Arrays.fill(codebooksAndAll, (byte) 0xFF);
        return join(new byte[] {5}, "vorbis".getBytes(StandardCharsets.US_ASCII), codebooksAndAll, packed);
    }

    private static String lowFirst(int value, int bits) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < bits; i++) {
            s.append((value >> i) & 1);
        }
        return s.toString();
    }

    /** A Vorbis audio packet of mode 1 of two (long blocks), the one before said to be long when {@code afterLong}. */
    private static byte[] longBlock(boolean afterLong) {
        byte[] p = new byte[12];
        p[0] = (byte) (afterLong ? 0x0E : 0x0A); // audio, mode 1, previous and next window flags
        return p;
    }

    /** Ogg Vorbis with these audio packets after its headers (modes: short, long), 50 a page, granules as given. */
    private static byte[] vorbis(byte[][] audio, long granuleEvery) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(page(9, 0, vorbisId()));
        out.writeBytes(page(9, 0, vorbisComment(), vorbisSetup(false, true)));
        for (int done = 0; done < audio.length; done += 50) {
            byte[][] onPage = Arrays.copyOfRange(audio, done, Math.min(audio.length, done + 50));
            out.writeBytes(page(9, granuleEvery * (done + onPage.length), onPage));
        }
        return out.toByteArray();
    }

    /** Ogg Vorbis as Audacity exports it: {@code packets} long blocks (1,024 samples each at 44.1 kHz). */
    static byte[] vorbis(int packets, long granuleEvery) {
        byte[][] audio = new byte[packets][];
        Arrays.fill(audio, longBlock(true));
        return vorbis(audio, granuleEvery);
    }

    /**
     * Blocks of 64 and 8,192 samples (the most a long one may be), the setup's page, then 1,000 pages each of one
     * audio packet of the setup's last mode, granules saying 0.
     */
    private static byte[] vorbisOfLongestBlocks(byte[] setup) {
        byte[] id = vorbisId();
        id[28] = (byte) 0xD6;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(join(page(9, 0, id), page(9, 0, vorbisComment()), page(9, 0, setup)));
        byte[] packet = new byte[12];
        packet[0] = 0x0A; // audio; of two modes mode 1, window flags 0 and 1; of one, mode 0 and flags 1 and 0
        for (int i = 0; i < 1_000; i++) {
            out.writeBytes(page(9, 0, packet));
        }
        return out.toByteArray();
    }

    /** 999 long blocks of 8,192 samples after long ones, as libvorbis plays them: 4,096 samples each, some 93 s. */
    private static final double LONGEST_BLOCKS_PLAYED = 999 * 4_096 / 44_100.0;

    /**
     * Audacity's Ogg export lasts its samples, the last page's granule saying as many. The setup's modes are not read,
     * so every packet after the first (which plays nothing) counts as a long block after a long one, 1,024 samples:
     * short blocks among long ones, playing 576, 128 and 576 samples after the first, count as long ones (the safe
     * side of a price per second).
     */
    @Test
    void anOggVorbisFileLastsAtLeastItsPackets() {
        assertThat(seconds(vorbis(1_292, 1_024))).isCloseTo(1_292 * 1_024 / 44_100.0, within(0.001));
        byte[] shortBlock = new byte[12];
        byte[][] mixed = {longBlock(true), shortBlock, shortBlock, longBlock(false)};
        assertThat(seconds(vorbis(mixed, 0))).as("at least as played")
                .isGreaterThanOrEqualTo((576 + 128 + 576) / 44_100.0)
                .as("as three long blocks").isCloseTo(3 * 1_024 / 44_100.0, within(1e-9));
    }

    /**
     * Pages saying almost nothing: what the packets can play, 1,291 long blocks after the first. Pages saying a
     * hundred times more: the granule, longer. A long block whose flag says the one before was short, after a long
     * one (ffmpeg plays 576 samples, libvorbis 1,024): as long as the packets can play, the flag not read.
     */
    @Test
    void anOggVorbisFileWhosePagesOrFlagsSayLessOrMoreIsAsLongAsTheLongerReading() {
        double packets = 1_291 * 1_024 / 44_100.0;
        assertThat(seconds(vorbis(1_292, 1))).as("granules saying almost nothing").isCloseTo(packets, within(1e-9));
        assertThat(seconds(vorbis(1_292, 102_400))).as("granules saying 100 times more")
                .isCloseTo(1_292 * 102_400 / 44_100.0, within(1e-6));
        byte[][] flaggedShort = new byte[1_292][];
        Arrays.fill(flaggedShort, longBlock(false));
        flaggedShort[0] = longBlock(true);
        assertThat(seconds(vorbis(flaggedShort, 0))).as("flags saying short").isCloseTo(packets, within(1e-9));
    }

    /**
     * A third header that is no setup, or block sizes decoders refuse (a long one of 16,384 samples, a short one
     * longer than the long): the packets' bound is no bound. A packet no decoder takes for audio (empty, or a
     * header's) and a second stream are read each player's own way. None has a length.
     */
    @Test
    void anOggVorbisFileWhoseHeadersOrPacketsCannotBeReadHasNoLength() {
        byte[] twoLongBlocks = page(9, 1_024, longBlock(true), longBlock(true));
        assertThat(ClipLength.seconds(join(page(9, 0, vorbisId()), page(9, 0, vorbisComment(), vorbisId()),
                twoLongBlocks))).isEmpty();
        for (byte blockSizes : new byte[] {(byte) 0xE8, (byte) 0x8B}) {
            byte[] id = vorbisId();
            id[28] = blockSizes;
            assertThat(ClipLength.seconds(join(page(9, 0, id), page(9, 0, vorbisComment(), vorbisSetup(false, true)),
                    twoLongBlocks))).as("blocks %x", blockSizes).isEmpty();
        }
        for (byte[] odd : new byte[][] {new byte[0], vorbisComment()}) {
            byte[] clip = vorbis(100, 1_024);
            assertThat(ClipLength.seconds(join(clip, page(9, 102_400, odd)))).isEmpty();
        }
        assertThat(ClipLength.seconds(join(vorbis(100, 1_024), page(8, 0, vorbisId())))).isEmpty();
    }

    /**
     * A setup whose true modes (read forward, as libvorbis and ffmpeg's decoder do) are two, 0 short and 1 long, where
     * the 41 bits before its mode count (the last mapping's tail: submap 0 on floor 1, submap 1 on floor 0, both on
     * residue 0) also look like a mode and the 6 bits before them say 3: read from its end, 3 modes and 2 mode bits,
     * and every long block whose previous-window flag is 0 reads as mode 1 of three, a short one: measured 0.73 s.
     */
    @Test
    void aSetupWhoseMappingTailLooksLikeAModeDoesNotMakeLongBlocksShort() {
        String bits = lowFirst(2, 6) + "0" + lowFirst(0, 32) + "00" // the mapping's tail: looks like a 3rd mode
                + lowFirst(1, 6) + "0" + lowFirst(0, 40) + "1" + lowFirst(0, 40) + "1"; // 2 modes, framing
        assertThat(seconds(vorbisOfLongestBlocks(vorbisSetup(10, bits))))
                .isCloseTo(LONGEST_BLOCKS_PLAYED, within(1e-9));
    }

    /**
     * A setup whose one true mode is long, then its framing bit, where decoders stop reading; then bytes they never
     * read, ending as a single short mode and a framing bit would: read from its end, every packet is of a short
     * block, and every count of modes that fitted there (the longest reading counted) was measured 0.73 s.
     */
    @Test
    void bytesAfterTheSetupsFramingBitDoNotMakeLongBlocksShort() {
        String bits = lowFirst(0, 6) + "1" + lowFirst(0, 40) + "1" // the true modes: one, long; framing
                + "11111111" // bytes decoders never read
                + lowFirst(0, 6) + "0" + lowFirst(0, 40) + "1"; // read from the end: one mode, short
        assertThat(seconds(vorbisOfLongestBlocks(vorbisSetup(10, bits))))
                .isCloseTo(LONGEST_BLOCKS_PLAYED, within(1e-9));
    }

    @Test
    void otherFormatsHaveNoLengthReadHere() {
        byte[] mp4 = join(new byte[] {0, 0, 0, 24}, "ftypM4A ".getBytes(StandardCharsets.US_ASCII), new byte[100]);
        assertThat(ClipLength.seconds(mp4)).isEmpty();
        assertThat(ClipLength.seconds(new byte[0])).isEmpty();
    }
}
