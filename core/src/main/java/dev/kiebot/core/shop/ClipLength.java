package dev.kiebot.core.shop;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;

/**
 * How long an audio clip lasts, read from its bytes. A clip field's price is fixed by its longest clip ({@code
 * InputField.maxLength}: Kie charges some models per second of the input), and the length Telegram reports with a
 * file is what the sender's client wrote: a recording of an hour sent (or forwarded from a bot of one's own) as "10 s"
 * passed the field's check and went to Kie at the price of a minute.
 *
 * <p>Each reading takes the longest length a player or a provider could find in the file: the frames counted, and
 * what the headers say (a provider may estimate from them), so a file that lies in one place is still too long. A
 * format not read here is empty, as is a file with bytes the reading cannot account for (a player skips garbage and
 * plays what follows) or that players read in ways of their own (a second format chunk, an "ID3" no player takes for a
 * tag): read are WAV (PCM), MP3, Ogg Opus (Telegram's voice messages) and Ogg Vorbis. A format read here is also
 * named in {@code conversation.MeasurableAudio}, which asks for another recording when a file says it is of none.
 */
final class ClipLength {
    private static final int[][] MP3_KBPS = {
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG 1, layer I
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG 1, layer II
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG 1, layer III
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG 2 and 2.5, layer I
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}}; // MPEG 2 and 2.5, layers II and III
    private static final int[][] MP3_RATES = {{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000},
            {44100, 48000, 32000}};
    /** An ID3v1 tag: the only bytes an MP3 may end with that are no frame. */
    private static final int ID3V1 = 128;
    private static final double OPUS_RATE = 48_000;
    /** 120 ms at 48 kHz (RFC 6716, 3.2.5). */
    private static final int OPUS_LONGEST_PACKET = 5_760;
    private static final int PCM = 1;
    private static final int FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;
    /** The GUID's bytes after its first four (the format code) in KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT. */
    private static final byte[] KSDATAFORMAT_BASE = {0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00,
            0x38, (byte) 0x9B, 0x71};

    private ClipLength() {
    }

    /** @return the clip's length in seconds; empty when the format is not read here or the bytes do not add up */
    static OptionalDouble seconds(byte[] b) {
        if (startsWith(b, 0, "RIFF") && startsWith(b, 8, "WAVE")) {
            return wav(b);
        }
        if (startsWith(b, 0, "OggS")) {
            return ogg(b);
        }
        return mp3(b);
    }

    private static OptionalDouble wav(byte[] b) {
        int pos = 12;
        long rate = 0;
        long byteRate = 0;
        int blockAlign = 0;
        int channels = 0;
        int bits = 0;
        int format = -1;
        boolean fmtRead = false;
        OptionalDouble measured = OptionalDouble.empty();
        long factFrames = 0;
        while (pos + 8 <= b.length) {
            long size = u32le(b, pos + 4);
            int body = pos + 8;
            if (startsWith(b, pos, "fmt ")) {
                // ffmpeg reads the first fmt and no other; a reading of the last would differ. A size other than
                // PCM's 16, 18 (cbSize) or 40 (extensible) is read by decoders each their own way (ffmpeg takes 14
                // bytes for 8 bits a sample, a 16-byte read would take the bits from the next chunk's name)
                if (fmtRead || (size != 16 && size != 18 && size != 40) || body + size > b.length) {
                    return OptionalDouble.empty();
                }
                fmtRead = true;
                format = u16le(b, body);
                channels = u16le(b, body + 2);
                rate = u32le(b, body + 4);
                byteRate = u32le(b, body + 8);
                blockAlign = u16le(b, body + 12);
                bits = u16le(b, body + 14);
                if (format == EXTENSIBLE) {
                    format = extensibleSubformat(b, body, size);
                }
            } else if (startsWith(b, pos, "fact") && size >= 4 && body + 4 <= b.length) {
                // ffmpeg (so ffprobe, and a provider asking it) takes a fact chunk's frame count for the length of a
                // PCM file whose data runs past its end: a cut-short file may say an hour there
                factFrames = Math.max(factFrames, u32le(b, body));
            } else if (startsWith(b, pos, "XMA2") && !fmtRead) {
                return OptionalDouble.empty(); // ffmpeg takes an XMA2 chunk before the fmt for the format, fmt unread
            } else if (startsWith(b, pos, "data")) {
                // PCM only (1, float 3, or either as extensible): its length is its bytes, as a player reads them;
                // more than 64 bits a sample is no PCM ffmpeg decodes. ffmpeg plays the last data chunk, as long as
                // its size says, where this reading is of the first: a second one is another reading
                if ((format != PCM && format != FLOAT) || rate <= 0 || byteRate <= 0 || blockAlign <= 0
                        || channels <= 0 || bits <= 0 || bits > 64 || measured.isPresent()) {
                    return OptionalDouble.empty();
                }
                // the bytes there are: a streaming writer (ffmpeg to a pipe) cannot go back to fill in the size and
                // leaves 0 or 0xFFFFFFFF, a cut-short upload says more than it holds, and players (ffmpeg, libsndfile)
                // play to the file's end in both; bytes after a smaller size, a player ignoring it plays as well
                double bytes = b.length - body;
                // decoders (ffmpeg, Python's wave) count samples by the channels and the whole bytes of a sample (12
                // bits take 2), not by the block size or byte rate: a header whose block and byte rate are huge still
                // plays as long as that
                int sampleBytes = (bits + 7) / 8; // whole bytes: 12 bits take 2
                double decoded = bytes / ((double) channels * sampleBytes) / rate;
                measured = OptionalDouble.of(Math.max(decoded, Math.max(bytes / blockAlign / rate, bytes / byteRate)));
                if (size == 0) {
                    return atLeast(measured, factFrames / (double) rate); // ffmpeg reads no chunk in the samples
                }
            }
            pos = (int) Math.min(b.length, body + size + (size & 1)); // no wrap past int: 0xFFFFFFFF is odd
        }
        return atLeast(measured, factFrames / (double) rate);
    }

    private static OptionalDouble atLeast(OptionalDouble measured, double seconds) {
        return measured.isPresent() ? OptionalDouble.of(Math.max(measured.getAsDouble(), seconds)) : measured;
    }

    /**
     * The format a WAVE_FORMAT_EXTENSIBLE fmt holds, by its SubFormat GUID (a decoder plays the codec it names, MP3 or
     * ADPCM as well as PCM): PCM or float when the GUID is KSDATAFORMAT_SUBTYPE_PCM or _IEEE_FLOAT, else -1.
     */
    private static int extensibleSubformat(byte[] b, int body, long size) {
        if (size != 40 || u16le(b, body + 16) < 22) {
            return -1;
        }
        int guid = body + 24;
        long code = u32le(b, guid);
        for (int i = 0; i < KSDATAFORMAT_BASE.length; i++) {
            if (b[guid + 4 + i] != KSDATAFORMAT_BASE[i]) {
                return -1;
            }
        }
        return code == PCM || code == FLOAT ? (int) code : -1;
    }

    private static OptionalDouble mp3(byte[] b) {
        int pos = 0;
        if (isId3v2(b)) {
            pos = 10 + ((b[6] & 0x7F) << 21 | (b[7] & 0x7F) << 14 | (b[8] & 0x7F) << 7 | (b[9] & 0x7F))
                    + ((b[5] & 0x10) != 0 ? 10 : 0);
        }
        while (pos < b.length && b[pos] == 0) {
            pos++;
        }
        int start = pos;
        double counted = 0;
        double declared = 0;
        int firstKbps = 0;
        while (pos + 4 <= b.length) {
            Mp3Frame f = Mp3Frame.at(b, pos);
            if (f == null) {
                break;
            }
            if (firstKbps == 0) {
                firstKbps = f.kbps;
                declared = f.declaredFrames(b, pos) * (double) f.samples / f.rate;
            }
            counted += (double) f.samples / f.rate;
            pos += f.length;
        }
        int left = b.length - pos;
        boolean accounted = left <= 0 || (left == ID3V1 && startsWith(b, pos, "TAG"));
        if (firstKbps == 0 || !accounted) {
            return OptionalDouble.empty();
        }
        // a provider may take the first frame's bitrate for the whole file, or a VBR header's frame count
        double estimated = (b.length - start) * 8.0 / (firstKbps * 1000.0);
        return OptionalDouble.of(Math.max(counted, Math.max(estimated, declared)));
    }

    /**
     * Whether an ID3v2 tag, skipped whole, begins the file: players skip no other "ID3" (ffmpeg's ff_id3v2_match and
     * mpg123 refuse a version or revision byte of 0xFF or a size byte with its high bit set, minimp3 any of the low
     * flag bits too) but resync to the frames inside it and play them, and those this reading does not count: such a
     * file has no frame where its tag would begin, so no length.
     */
    private static boolean isId3v2(byte[] b) {
        return startsWith(b, 0, "ID3") && b.length >= 10 && (b[3] & 0xFF) != 0xFF && (b[4] & 0xFF) != 0xFF
                && (b[5] & 0x0F) == 0 && ((b[6] | b[7] | b[8] | b[9]) & 0x80) == 0;
    }

    /** One MPEG audio frame's header, read. */
    private record Mp3Frame(int kbps, int rate, int samples, int length, boolean mpeg1, boolean mono) {
        static Mp3Frame at(byte[] b, int pos) {
            int b1 = b[pos + 1] & 0xFF;
            int b2 = b[pos + 2] & 0xFF;
            if ((b[pos] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0) {
                return null;
            }
            int version = (b1 >> 3) & 3;
            int layer = (b1 >> 1) & 3;
            int index = b2 >> 4;
            int rateIndex = (b2 >> 2) & 3;
            if (version == 1 || layer == 0 || index == 0 || index == 15 || rateIndex == 3) {
                return null; // reserved values, or a free-format bitrate whose frames have no length to read
            }
            boolean mpeg1 = version == 3;
            int kbps = MP3_KBPS[mpeg1 ? 3 - layer : layer == 3 ? 3 : 4][index];
            int rate = MP3_RATES[version][rateIndex];
            int padding = (b2 >> 1) & 1;
            int samples;
            int length;
            if (layer == 3) {
                samples = 384;
                length = (12 * kbps * 1000 / rate + padding) * 4;
            } else {
                samples = layer == 1 && !mpeg1 ? 576 : 1152;
                length = samples / 8 * kbps * 1000 / rate + padding;
            }
            return new Mp3Frame(kbps, rate, samples, length, mpeg1, ((b[pos + 3] & 0xFF) >> 6) == 3);
        }

        /** Frames a Xing, Info or VBRI header in this (first) frame says the file has; 0 when it has none. */
        long declaredFrames(byte[] b, int pos) {
            int xing = pos + 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
            if ((startsWith(b, xing, "Xing") || startsWith(b, xing, "Info")) && xing + 12 <= b.length
                    && (b[xing + 7] & 1) != 0) {
                return u32be(b, xing + 8);
            }
            int vbri = pos + 36;
            return startsWith(b, vbri, "VBRI") && vbri + 18 <= b.length ? u32be(b, vbri + 14) : 0;
        }
    }

    /**
     * What an Ogg stream's packets are read into, one at a time as the walk ({@code walkOgg}) meets them: no list of
     * them is kept, so a clip of millions of tiny packets (a 20 MB file of empty ones is some 19 million) measures in
     * the memory of its own bytes.
     */
    private interface OggReading {
        /**
         * One packet: {@code start} is the whole of it while the stream's headers may be in it (its first {@code
         * OGG_HEADERS}), else its first {@code PACKET_START} bytes; {@code open} when the file ends inside it.
         *
         * @return false when the packet leaves the clip with no length (the walk stops there)
         */
        boolean packet(byte[] start, int length, boolean open);

        /** The length once every packet is read, {@code granule} the largest granule position; empty if none. */
        OptionalDouble seconds(long granule);
    }

    /** Vorbis has three header packets, Opus two: the walk keeps these whole. */
    private static final int OGG_HEADERS = 3;
    /** Of a later (audio) packet, the bytes a reading looks at: Opus's table of contents, Vorbis's packet type. */
    private static final int PACKET_START = 8;

    /**
     * Walks an Ogg stream's packets into {@code reading}, the last left open at the file's end too (if not empty).
     * Empty when the pages are not one stream that every reader splits into the same packets.
     */
    private static OptionalDouble walkOgg(byte[] b, OggReading reading) {
        int pos = 0;
        long serial = -1;
        long granule = 0;
        int index = 0;
        int length = 0;
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        while (pos < b.length) {
            if (pos + 27 > b.length || !startsWith(b, pos, "OggS") || b[pos + 4] != 0) {
                return OptionalDouble.empty();
            }
            long pageSerial = u32le(b, pos + 14);
            if (serial != -1 && pageSerial != serial) {
                return OptionalDouble.empty(); // a second stream: played too, and not read here
            }
            serial = pageSerial;
            if (((b[pos + 5] & 1) != 0) != (length > 0)) {
                // a page not marked as continuing the packet the last one left open: libogg (opusfile,
                // vorbisfile) drops that packet's start, ffmpeg joins the two; marked so with none open: the start
                // is missing. The packets players find are not the ones counted here
                return OptionalDouble.empty();
            }
            granule = Math.max(granule, u64le(b, pos + 6)); // going back, the longest reading still counts
            int segments = b[pos + 26] & 0xFF;
            int body = pos + 27 + segments;
            if (body > b.length) {
                return OptionalDouble.empty(); // cut inside the segment table: no packet to read there
            }
            for (int i = 0; i < segments; i++) {
                int lacing = b[pos + 27 + i] & 0xFF;
                if (body + lacing > b.length) {
                    return OptionalDouble.empty();
                }
                int kept = index < OGG_HEADERS ? lacing : Math.min(lacing, PACKET_START - packet.size());
                packet.write(b, body, kept);
                length += lacing;
                body += lacing;
                if (lacing < 255) {
                    if (!reading.packet(packet.toByteArray(), length, false)) {
                        return OptionalDouble.empty();
                    }
                    index++;
                    length = 0;
                    packet.reset();
                }
            }
            pos = body;
        }
        if (length > 0 && !reading.packet(packet.toByteArray(), length, true)) {
            return OptionalDouble.empty();
        }
        return reading.seconds(granule);
    }

    private static OptionalDouble ogg(byte[] b) {
        return walkOgg(b, new OggReading() {
            private OggReading codec;

            @Override
            public boolean packet(byte[] start, int length, boolean open) {
                if (codec == null) {
                    if (open) {
                        return false;
                    }
                    if (startsWith(start, 0, "OpusHead")) {
                        codec = new OpusReading();
                    } else if (startsWith(start, 1, "vorbis") && start[0] == 1) {
                        codec = new VorbisReading();
                    } else {
                        return false; // FLAC, Speex or anything else in Ogg: not read here
                    }
                }
                return codec.packet(start, length, open);
            }

            @Override
            public OptionalDouble seconds(long granule) {
                return codec == null ? OptionalDouble.empty() : codec.seconds(granule);
            }
        });
    }

    /** Ogg Opus: the samples of its packets after the two headers, or its granule less the pre-skip if longer. */
    private static final class OpusReading implements OggReading {
        private int packets;
        private int preSkip;
        private long samples;

        @Override
        public boolean packet(byte[] start, int length, boolean open) {
            if ((packets == 0 && length < 12) || (packets == 1 && open)) {
                return false;
            }
            if (packets == 0) {
                preSkip = u16le(start, 10);
            } else if (packets >= 2) {
                samples += opusSamples(start, length); // one left open at the end too: a player plays what is there
            }
            packets++;
            return true;
        }

        @Override
        public OptionalDouble seconds(long granule) {
            if (packets < 2) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(Math.max(samples, granule - preSkip) / OPUS_RATE);
        }
    }

    /**
     * Ogg Vorbis (Audacity's and many apps' Ogg export): at the identification header's rate, the longer of its largest
     * granule position and the most its audio packets can play. A packet plays from the middle of the block before it
     * to the middle of its own (Vorbis I, 1.3.2), at most half a long block (both long), and the first plays nothing:
     * blocksize_1 / 2 times the packets less one, the block sizes read at their fixed offsets in the identification
     * header.
     *
     * <p>Which blocks are long is the setup header's modes, which only a full forward parse (codebooks, floors,
     * residues, mappings, as decoders read it) finds; read from its end (ffmpeg's vorbis_parser) a mapping's tail, or
     * bytes after the framing bit, can hide the true modes and make long blocks read short (93 s measured under one).
     * So no mode is read, and an honest clip's short blocks count as long ones: at libvorbis's 256 and 2,048 samples a
     * short block after a short one counts 8 times its length. That is the safe side of a price per second, and a clip
     * near a field's limit may be refused as too long; the modes read from the setup's end already counted almost every
     * honest clip so (a count of one fits nearly every setup, its mode libvorbis's long one). A packet no decoder reads
     * as audio (empty, or a header's) is read its own way by each: no length.
     */
    private static final class VorbisReading implements OggReading {
        private int packets;
        private byte[] id;
        private boolean commentRead;
        /** 0 until the three headers are read and fit. */
        private long rate;
        private int longBlock;
        private long audio;

        @Override
        public boolean packet(byte[] start, int length, boolean open) {
            int index = packets++;
            if (open && index < OGG_HEADERS) {
                return false;
            }
            if (index == 0) {
                id = start;
                return true;
            }
            if (index == 1) {
                commentRead = isVorbisHeader(start, 3);
                return true;
            }
            if (index == 2) {
                return headers(start);
            }
            if (length == 0 || (start[0] & 1) != 0) {
                return false;
            }
            audio++; // one left open at the end too: a player plays what is there
            return true;
        }

        private boolean headers(byte[] setup) {
            if (id.length < 30 || u32le(id, 7) != 0 || id[11] == 0 || (id[29] & 1) == 0 || !commentRead
                    || !isVorbisHeader(setup, 5)) {
                return false;
            }
            int shortBlock = 1 << (id[28] & 0x0F);
            int block = 1 << ((id[28] & 0xF0) >> 4);
            if (shortBlock < 64 || block > 8192 || shortBlock > block) {
                return false; // block sizes decoders refuse: the bound would be no bound
            }
            longBlock = block;
            rate = u32le(id, 12);
            return rate != 0;
        }

        @Override
        public OptionalDouble seconds(long granule) {
            if (rate == 0) {
                return OptionalDouble.empty();
            }
            long most = Math.max(0, audio - 1) * (longBlock / 2);
            return OptionalDouble.of(Math.max(most, granule) / (double) rate);
        }
    }

    private static boolean isVorbisHeader(byte[] p, int type) {
        return p.length > 7 && p[0] == type && startsWith(p, 1, "vorbis");
    }

    /**
     * The samples (at 48 kHz) one Opus packet holds, by its table of contents (RFC 6716, 3.1). A packet that holds no
     * frame (empty, or of code 3 without a frame count) is a lost one to a decoder given it, which conceals it with
     * sound as long as it is asked for: up to a packet's longest, 120 ms, counted so.
     */
    private static int opusSamples(byte[] p, int length) {
        if (length == 0) {
            return OPUS_LONGEST_PACKET;
        }
        int config = (p[0] & 0xFF) >> 3;
        int frame = config < 12 ? new int[] {480, 960, 1920, 2880}[config & 3]
                : config < 16 ? new int[] {480, 960}[config & 1] : new int[] {120, 240, 480, 960}[config & 3];
        int code = p[0] & 3;
        int frames = code == 0 ? 1 : code < 3 ? 2 : length > 1 ? p[1] & 0x3F : 0;
        return frames == 0 ? OPUS_LONGEST_PACKET : frame * frames;
    }

    private static boolean startsWith(byte[] b, int at, String ascii) {
        byte[] s = ascii.getBytes(StandardCharsets.US_ASCII);
        if (at < 0 || at + s.length > b.length) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (b[at + i] != s[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u16le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32le(byte[] b, int at) {
        return (u16le(b, at) | (long) u16le(b, at + 2) << 16) & 0xFFFFFFFFL;
    }

    private static long u32be(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF));
    }

    /** An Ogg granule position; -1 (no packet ends on the page) and other negatives read as 0. */
    private static long u64le(byte[] b, int at) {
        long v = u32le(b, at) | u32le(b, at + 4) << 32;
        return Math.max(0, v);
    }
}
