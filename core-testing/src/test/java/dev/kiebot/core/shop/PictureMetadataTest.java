package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A picture sent as a file loses its metadata (where it was taken, whose camera, comments) before the provider gets it,
 * and nothing else: the pixels' bytes, its colour profile and what decoding needs stay as they were. A file that does
 * not add up goes as it came.
 */
class PictureMetadataTest {
    private static final String GPS = "GPSLatitude=55.7558N GPSLongitude=37.6173E Owner=Ivan Petrov";

    // ---- JPEG

    private static byte[] segment(int marker, String payload) {
        return segment(marker, latin(payload));
    }

    private static byte[] segment(int marker, byte[] payload) {
        int length = payload.length + 2;
        return concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length}, payload);
    }

    private static final byte[] SOI = {(byte) 0xFF, (byte) 0xD8};
    private static final byte[] EOI = {(byte) 0xFF, (byte) 0xD9};
    private static final byte[] APP0 = segment(0xE0, "JFIF\0\1\1\0\0\1\0\1\0\0");
    private static final byte[] ICC = segment(0xE2, "ICC_PROFILE\0\1\1display-p3-profile");
    private static final byte[] ADOBE = segment(0xEE, "Adobe\0\144\0\0\0\0\1");
    private static final byte[] DQT = segment(0xDB, new byte[65]);
    private static final byte[] SOF = segment(0xC0, new byte[] {8, 0, 16, 0, 16, 1, 1, 0x11, 0});
    private static final byte[] SOS = segment(0xDA, new byte[] {1, 1, 0, 0, 63, 0});
    /** Entropy-coded data: a stuffed 0xFF 0x00 and a restart marker belong to it, and no segment starts there. */
    private static final byte[] SCAN = {0x12, (byte) 0xFF, 0x00, 0x34, (byte) 0xFF, (byte) 0xD0, 0x56, (byte) 0xE1};

    @Test
    void aJpegLosesItsExifXmpPhotoshopAndCommentsAndKeepsJfifItsColourProfileAndEveryImageByte() {
        byte[] jpeg = concat(SOI, APP0, segment(0xE1, "Exif\0\0" + GPS),
                segment(0xE1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Ivan Petrov</x:xmpmeta>"), ICC,
                segment(0xE2, "MPF\0offsets of the pictures appended"), segment(0xED, "Photoshop 3.0\0IPTC byline"),
                ADOBE, segment(0xFE, "taken at home"), DQT, SOF, SOS, SCAN, EOI);

        assertThat(PictureMetadata.stripped(jpeg)).containsExactly(concat(SOI, APP0, ICC, ADOBE, DQT, SOF, SOS, SCAN,
                EOI));
    }

    /** A phone appends an HDR gain map or its own trailer after the picture's end, each with an EXIF of its own. */
    @Test
    void whatFollowsAJpegsEndIsDropped() {
        byte[] trailer = concat(SOI, segment(0xE1, "Exif\0\0" + GPS), DQT, SOF, SOS, SCAN, EOI);
        byte[] jpeg = concat(SOI, APP0, DQT, SOF, SOS, SCAN, EOI, trailer);

        assertThat(PictureMetadata.stripped(jpeg)).containsExactly(concat(SOI, APP0, DQT, SOF, SOS, SCAN, EOI));
    }

    /** A progressive JPEG has many scans with tables between them; a segment between two scans is read as any. */
    @Test
    void aProgressiveJpegKeepsEveryScanAndLosesACommentBetweenThem() {
        byte[] dht = segment(0xC4, new byte[] {0, 1, 2, 3});
        byte[] jpeg = concat(SOI, APP0, DQT, SOF, SOS, SCAN, dht, segment(0xFE, GPS), SOS, SCAN, EOI);

        assertThat(PictureMetadata.stripped(jpeg)).containsExactly(concat(SOI, APP0, DQT, SOF, SOS, SCAN, dht, SOS,
                SCAN, EOI));
    }

    @Test
    void aJpegEncodedByTheJdkWithAnExifStillDecodesToTheSamePixelsWithout() throws IOException {
        BufferedImage img = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 32; x++) {
            img.setRGB(x, x % 24, 0x3366CC);
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", plain);
        byte[] p = plain.toByteArray();
        byte[] withExif = concat(SOI, segment(0xE1, "Exif\0\0" + GPS), java.util.Arrays.copyOfRange(p, 2, p.length));

        byte[] stripped = PictureMetadata.stripped(withExif);

        assertThat(stripped).containsExactly(p);
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1)).doesNotContain("Ivan Petrov");
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(stripped));
        assertThat(back.getWidth()).isEqualTo(32);
        assertThat(back.getHeight()).isEqualTo(24);
    }

    @Test
    void aJpegWhoseSegmentRunsPastItsEndOrThatNeverEndsGoesAsItCame() {
        byte[] pastTheEnd = concat(SOI, segment(0xE1, "Exif\0\0" + GPS), DQT);
        pastTheEnd[pastTheEnd.length - DQT.length + 3] = 100; // DQT says 100 bytes more than the file has
        byte[] neverEnds = concat(SOI, segment(0xE1, "Exif\0\0" + GPS), DQT, SOF, SOS, SCAN);
        byte[] noMarker = concat(SOI, segment(0xE1, "Exif\0\0" + GPS), latin("garbage"), DQT, SOF, SOS, SCAN, EOI);

        assertThat(PictureMetadata.stripped(pastTheEnd)).isSameAs(pastTheEnd);
        assertThat(PictureMetadata.stripped(neverEnds)).isSameAs(neverEnds);
        assertThat(PictureMetadata.stripped(noMarker)).isSameAs(noMarker);
    }

    @Test
    void aJpegWithoutMetadataIsTheSameFile() {
        byte[] jpeg = concat(SOI, APP0, ICC, DQT, SOF, SOS, SCAN, EOI);

        assertThat(PictureMetadata.stripped(jpeg)).isSameAs(jpeg);
    }

    /**
     * An EXIF TIFF structure as a phone writes one, in {@code order}: IFD0 with the camera's make (its text past the
     * IFD), the Orientation (third tag of three) and a GPS pointer, then the make and the place in plain text.
     */
    private static byte[] phoneExif(ByteOrder order, int orientation) {
        byte[] make = latin("Phone\0");
        byte[] place = latin(GPS);
        int data = 8 + 2 + 3 * 12 + 4;
        ByteBuffer t = ByteBuffer.allocate(data + make.length + place.length).order(order);
        t.put(latin(order == ByteOrder.LITTLE_ENDIAN ? "II" : "MM")).putShort((short) 42).putInt(8);
        t.putShort((short) 3);
        t.putShort((short) 0x010F).putShort((short) 2).putInt(make.length).putInt(data);
        t.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        t.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(data + make.length);
        t.putInt(0);
        t.put(make).put(place);
        return t.array();
    }

    /** The EXIF kept: the header of {@code order}, IFD0 at 8 with the Orientation alone, no next IFD (26 bytes). */
    private static byte[] orientationAlone(ByteOrder order, int orientation) {
        ByteBuffer t = ByteBuffer.allocate(26).order(order);
        t.put(latin(order == ByteOrder.LITTLE_ENDIAN ? "II" : "MM")).putShort((short) 42).putInt(8);
        t.putShort((short) 1);
        t.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        t.putInt(0);
        return t.array();
    }

    /**
     * A portrait shot from a phone: the sensor's pixels and «turn them» in EXIF Orientation. The EXIF goes, the
     * Orientation stays, alone in an APP1 of its own in the file's byte order; before, it went with the rest and the
     * picture reached the provider lying on its side.
     */
    @Test
    void aJpegKeepsItsExifOrientationAloneInEitherByteOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            byte[] jpeg = concat(SOI, segment(0xE1, concat(latin("Exif\0\0"), phoneExif(order, 6))), DQT, SOF, SOS,
                    SCAN, EOI);

            byte[] out = PictureMetadata.stripped(jpeg);

            assertThat(out).as(order.toString()).containsExactly(concat(SOI,
                    segment(0xE1, concat(latin("Exif\0\0"), orientationAlone(order, 6))), DQT, SOF, SOS, SCAN, EOI));
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).doesNotContain("Phone", "GPS");
        }
    }

    /** «As stored» (1) needs no EXIF at all; neither does an Orientation value no reader knows (0, 9). */
    @Test
    void aJpegWhoseOrientationSaysNothingLosesItsWholeExif() {
        for (int orientation : new int[] {1, 0, 9}) {
            byte[] jpeg = concat(SOI, segment(0xE1, concat(latin("Exif\0\0"), phoneExif(ByteOrder.BIG_ENDIAN,
                    orientation))), DQT, SOF, SOS, SCAN, EOI);
            assertThat(PictureMetadata.stripped(jpeg)).containsExactly(concat(SOI, DQT, SOF, SOS, SCAN, EOI));
        }
    }

    // ---- PNG

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private static byte[] chunk(String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(latin(type));
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(latin(type)).put(data)
                .putInt((int) crc.getValue()).array();
    }

    private static final byte[] IHDR = chunk("IHDR", new byte[] {0, 0, 0, 16, 0, 0, 0, 16, 8, 2, 0, 0, 0});
    private static final byte[] ICCP = chunk("iCCP", latin("Display P3\0\0compressed-profile"));
    private static final byte[] IDAT = chunk("IDAT", new byte[] {0x78, (byte) 0x9C, 1, 2, 3});
    private static final byte[] IEND = chunk("IEND", new byte[0]);

    @Test
    void aPngLosesItsExifTextsAndTimeAndKeepsItsColourProfileAndImageData() {
        byte[] png = concat(PNG_SIGNATURE, IHDR, chunk("eXIf", latin("MM\0*" + GPS)), ICCP,
                chunk("tEXt", latin("Author\0Ivan Petrov")), chunk("iTXt", latin("XML:com.adobe.xmp\0\0\0\0\0" + GPS)),
                chunk("zTXt", latin("Comment\0\0compressed")), chunk("tIME", new byte[] {7, (byte) 0xEA, 12, 6, 14, 0,
                        0}), IDAT, IEND, latin("after the end: " + GPS));

        assertThat(PictureMetadata.stripped(png)).containsExactly(concat(PNG_SIGNATURE, IHDR, ICCP, IDAT, IEND));
    }

    /** A PNG's {@code eXIf} is the same TIFF structure: its Orientation stays as the chunk's only content. */
    @Test
    void aPngKeepsItsExifOrientationAloneInEitherByteOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            byte[] png = concat(PNG_SIGNATURE, IHDR, chunk("eXIf", phoneExif(order, 8)), IDAT, IEND);
            assertThat(PictureMetadata.stripped(png)).as(order.toString()).containsExactly(concat(PNG_SIGNATURE, IHDR,
                    chunk("eXIf", orientationAlone(order, 8)), IDAT, IEND));
        }
    }

    @Test
    void aPngWhoseChunkRunsPastItsEndOrThatHasNoEndGoesAsItCame() {
        byte[] text = chunk("tEXt", latin("Author\0Ivan Petrov"));
        byte[] pastTheEnd = concat(PNG_SIGNATURE, IHDR, text, IDAT);
        ByteBuffer.wrap(pastTheEnd).putInt(PNG_SIGNATURE.length + IHDR.length + text.length, 1_000);
        byte[] noEnd = concat(PNG_SIGNATURE, IHDR, text, IDAT);

        assertThat(PictureMetadata.stripped(pastTheEnd)).isSameAs(pastTheEnd);
        assertThat(PictureMetadata.stripped(noEnd)).isSameAs(noEnd);
    }

    @Test
    void aPngWithoutMetadataIsTheSameFile() {
        byte[] png = concat(PNG_SIGNATURE, IHDR, ICCP, IDAT, IEND);

        assertThat(PictureMetadata.stripped(png)).isSameAs(png);
    }

    // ---- WebP

    private static byte[] riffChunk(String fourcc, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        return b.put(latin(fourcc)).putInt(data.length).put(data).array();
    }

    private static byte[] webp(byte[]... chunks) {
        byte[] body = concat(chunks);
        return concat(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put(latin("RIFF"))
                .putInt(4 + body.length).put(latin("WEBP")).array(), body);
    }

    /** VP8X with the flags given: ICC 0x20, alpha 0x10, EXIF 0x08, XMP 0x04; a 16×16 canvas. */
    private static byte[] vp8x(int flags) {
        return riffChunk("VP8X", new byte[] {(byte) flags, 0, 0, 0, 15, 0, 0, 15, 0, 0});
    }

    private static final byte[] WEBP_ICC = riffChunk("ICCP", latin("display-p3-profile"));
    private static final byte[] ALPH = riffChunk("ALPH", new byte[] {0, 1, 2});
    /** Odd-sized: its padding byte stays with it. */
    private static final byte[] VP8L = riffChunk("VP8L", new byte[] {0x2F, 15, (byte) 0xC0, 3, 4});

    @Test
    void aWebpLosesItsExifAndXmpWithTheirFlagsAndTellsItsNewSize() {
        byte[] webp = webp(vp8x(0x20 | 0x10 | 0x08 | 0x04), WEBP_ICC, ALPH, VP8L, riffChunk("EXIF", latin("MM\0*"
                + GPS)), riffChunk("XMP ", latin("<x:xmpmeta>Ivan Petrov</x:xmpmeta>")));

        byte[] stripped = PictureMetadata.stripped(webp);

        assertThat(stripped).containsExactly(webp(vp8x(0x20 | 0x10), WEBP_ICC, ALPH, VP8L));
        assertThat(ByteBuffer.wrap(stripped).order(ByteOrder.LITTLE_ENDIAN).getInt(4)).isEqualTo(stripped.length - 8);
    }

    /**
     * A portrait sent as a WebP file: its EXIF chunk goes and the Orientation (2 to 8) stays, alone in an EXIF chunk of
     * its own in the file's byte order, where the old one was, the VP8X's EXIF flag still set and the RIFF's size told;
     * before, it went with the rest and the picture reached the provider lying on its side. An EXIF begun with JPEG's
     * {@code Exif\0\0} (as some writers copy it) is read the same, and written as the container says, without it.
     */
    @Test
    void aWebpKeepsItsExifOrientationAloneInEitherByteOrder() {
        byte[] xmp = riffChunk("XMP ", latin("<x:xmpmeta>Ivan Petrov</x:xmpmeta>"));
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            for (int orientation = 2; orientation <= 8; orientation++) {
                for (byte[] header : new byte[][] {new byte[0], latin("Exif\0\0")}) {
                    byte[] webp = webp(vp8x(0x20 | 0x10 | 0x08 | 0x04), WEBP_ICC, ALPH, VP8L,
                            riffChunk("EXIF", concat(header, phoneExif(order, orientation))), xmp);

                    byte[] out = PictureMetadata.stripped(webp);

                    assertThat(out).as(order + " " + orientation + " " + header.length).containsExactly(webp(
                            vp8x(0x20 | 0x10 | 0x08), WEBP_ICC, ALPH, VP8L,
                            riffChunk("EXIF", orientationAlone(order, orientation))));
                    assertThat(ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).getInt(4)).isEqualTo(out.length - 8);
                    assertThat(new String(out, StandardCharsets.ISO_8859_1)).doesNotContain("Phone", "GPS", "Ivan");
                }
            }
        }
    }

    /**
     * «As stored» (1), a value no reader knows (0, 9) and an EXIF without the tag (the place alone) need no EXIF
     * chunk: none is written, and the VP8X's EXIF flag is cleared.
     */
    @Test
    void aWebpWhoseOrientationSaysNothingGetsNoExifChunk() {
        ByteBuffer placeAlone = ByteBuffer.allocate(8 + 2 + 12 + 4 + GPS.length()).order(ByteOrder.BIG_ENDIAN);
        placeAlone.put(latin("MM")).putShort((short) 42).putInt(8).putShort((short) 1)
                .putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(26).putInt(0).put(latin(GPS));
        List<byte[]> exifs = new ArrayList<>(List.of(placeAlone.array()));
        for (int orientation : new int[] {1, 0, 9}) {
            exifs.add(phoneExif(ByteOrder.LITTLE_ENDIAN, orientation));
        }
        for (byte[] exif : exifs) {
            byte[] webp = webp(vp8x(0x10 | 0x08), ALPH, VP8L, riffChunk("EXIF", exif));

            assertThat(PictureMetadata.stripped(webp)).containsExactly(webp(vp8x(0x10), ALPH, VP8L));
        }
    }

    /** A WebP with an Orientation whose chunks or RIFF do not add up goes as it came, its EXIF whole. */
    @Test
    void aWebpWithAnOrientationThatDoesNotAddUpGoesAsItCame() {
        byte[] exif = riffChunk("EXIF", phoneExif(ByteOrder.BIG_ENDIAN, 6));
        byte[] chunkPast = webp(vp8x(0x08), VP8L, exif);
        ByteBuffer.wrap(chunkPast).order(ByteOrder.LITTLE_ENDIAN).putInt(12 + 18 + VP8L.length + 4, 1_000);
        byte[] riffPast = webp(vp8x(0x08), VP8L, exif);
        ByteBuffer.wrap(riffPast).order(ByteOrder.LITTLE_ENDIAN).putInt(4, riffPast.length);
        byte[] vp8xPast = webp(vp8x(0x08), VP8L, exif);
        ByteBuffer.wrap(vp8xPast).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 1_000);

        assertThat(PictureMetadata.stripped(chunkPast)).isSameAs(chunkPast);
        assertThat(PictureMetadata.stripped(riffPast)).isSameAs(riffPast);
        assertThat(PictureMetadata.stripped(vp8xPast)).isSameAs(vp8xPast);
    }

    @Test
    void whatFollowsAWebpsRiffIsDropped() {
        byte[] webp = concat(webp(riffChunk("VP8L", new byte[] {0x2F, 15, (byte) 0xC0, 3})), latin(GPS));

        assertThat(PictureMetadata.stripped(webp)).containsExactly(webp(riffChunk("VP8L", new byte[] {0x2F, 15,
                (byte) 0xC0, 3})));
    }

    @Test
    void aWebpWhoseChunkRunsPastItsRiffOrWhoseRiffRunsPastTheFileGoesAsItCame() {
        byte[] exif = riffChunk("EXIF", latin("MM\0*" + GPS));
        byte[] chunkPast = webp(vp8x(0x08), VP8L, exif);
        ByteBuffer.wrap(chunkPast).order(ByteOrder.LITTLE_ENDIAN).putInt(12 + 18 + VP8L.length + 4, 1_000);
        byte[] riffPast = webp(vp8x(0x08), VP8L, exif);
        ByteBuffer.wrap(riffPast).order(ByteOrder.LITTLE_ENDIAN).putInt(4, riffPast.length);

        assertThat(PictureMetadata.stripped(chunkPast)).isSameAs(chunkPast);
        assertThat(PictureMetadata.stripped(riffPast)).isSameAs(riffPast);
    }

    @Test
    void aWebpWithoutMetadataIsTheSameFile() {
        byte[] webp = webp(vp8x(0x20), WEBP_ICC, VP8L);

        assertThat(PictureMetadata.stripped(webp)).isSameAs(webp);
    }

    // ---- other files

    @Test
    void aClipOrAnyOtherFileIsTheSameFile() {
        byte[] wav = TrustBoundariesTest.wav(1);
        byte[] short1 = {(byte) 0xFF, (byte) 0xD8};
        byte[] text = latin("Exif\0\0" + GPS);

        assertThat(PictureMetadata.stripped(wav)).isSameAs(wav);
        assertThat(PictureMetadata.stripped(short1)).isSameAs(short1);
        assertThat(PictureMetadata.stripped(text)).isSameAs(text);
    }

    private static byte[] latin(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
