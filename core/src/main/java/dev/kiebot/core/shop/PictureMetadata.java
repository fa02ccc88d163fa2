package dev.kiebot.core.shop;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * A picture's metadata dropped before it leaves for the provider: a JPEG, PNG or WebP sent as a file reaches us as
 * the camera wrote it (Telegram re-encodes only photos sent as photos), with the place it was taken (EXIF GPS), the
 * phone, the owner's name, the editing history (XMP) and comments. None of it changes the pixels, so it is cut out
 * without re-encoding: the picture the user sent is the picture the model gets.
 *
 * <p>Kept is what decoding needs: the EXIF Orientation other than «as stored» (a JPEG's APP1, a PNG's {@code eXIf} or a
 * WebP's {@code EXIF} chunk, its VP8X flag kept, written anew with that one tag, everything else of the EXIF dropped),
 * a JPEG's APP0 (JFIF), its ICC profile (APP2 {@code ICC_PROFILE}: an iPhone's Display P3 picture read without it comes
 * out washed out) and its APP14 {@code Adobe} segment (a CMYK JPEG's colour transform; a few flag bytes); a PNG's every
 * chunk but its texts and time; a WebP's every chunk but XMP (and EXIF but its Orientation). Bytes after the picture's
 * end (a JPEG's HDR gain map or a phone's trailer, with their own EXIF; anything after a PNG's IEND or a WebP's RIFF)
 * are dropped, as decoders ignore them.
 *
 * <p>A file read here that does not add up is returned as it came: the job was paid for, and a provider that can read
 * more than this parser should not lose the picture to it.
 */
final class PictureMetadata {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** What an APP1 segment holding EXIF begins with, before its TIFF structure. */
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};
    private static final Set<String> PNG_PERSONAL = Set.of("eXIf", "tEXt", "iTXt", "zTXt", "tIME");
    /** VP8X flags: EXIF present, XMP present (WebP container specification). */
    private static final int WEBP_EXIF_FLAG = 0x08;
    private static final int WEBP_XMP_FLAG = 0x04;

    private PictureMetadata() {
    }

    /**
     * @param b a file's bytes, of any format
     * @return a JPEG, PNG or WebP without its metadata; {@code b} itself when it holds none, is of another format or
     *         does not add up
     */
    static byte[] stripped(byte[] b) {
        byte[] out = PictureBytes.format(b).map(f -> switch (f) {
            case JPEG -> jpeg(b);
            case PNG -> png(b);
            case WEBP -> webp(b);
        }).orElse(null);
        return out == null || Arrays.equals(out, b) ? b : out;
    }

    /** @return the JPEG's segments that decoding needs, up to its EOI; null when the segments do not add up */
    private static byte[] jpeg(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(0xFF);
        out.write(0xD8);
        int pos = 2;
        boolean orientationKept = false;
        while (true) {
            if (pos >= b.length || (b[pos] & 0xFF) != 0xFF) {
                return null;
            }
            while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
                pos++; // fill bytes before a marker
            }
            if (pos >= b.length) {
                return null;
            }
            int marker = b[pos++] & 0xFF;
            if (marker == 0xD9) {
                out.write(0xFF);
                out.write(marker);
                return out.toByteArray();
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                out.write(0xFF);
                out.write(marker);
                continue;
            }
            if (marker == 0x00 || marker == 0xD8 || pos + 2 > b.length) {
                return null;
            }
            int length = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            int end = pos + length;
            if (length < 2 || end > b.length) {
                return null;
            }
            if (kept(marker, b, pos + 2, end)) {
                out.write(0xFF);
                out.write(marker);
                out.write(b, pos, length);
            } else if (marker == 0xE1 && !orientationKept && startsWith(b, pos + 2, end, EXIF_HEADER)) {
                int orientation = orientation(b, pos + 2 + EXIF_HEADER.length, end);
                if (orientation > 1) {
                    byte[] tiff = orientationOnly(b[pos + 2 + EXIF_HEADER.length] == 'I', orientation);
                    int app1 = 2 + EXIF_HEADER.length + tiff.length;
                    out.write(0xFF);
                    out.write(0xE1);
                    out.write(app1 >> 8);
                    out.write(app1);
                    out.write(EXIF_HEADER, 0, EXIF_HEADER.length);
                    out.write(tiff, 0, tiff.length);
                    orientationKept = true;
                }
            }
            pos = end;
            if (marker == 0xDA) {
                // the scan's entropy-coded data runs to the next marker that is neither a stuffed 0xFF nor a restart
                int data = pos;
                while (pos + 1 < b.length && !((b[pos] & 0xFF) == 0xFF && (b[pos + 1] & 0xFF) != 0x00
                        && ((b[pos + 1] & 0xFF) < 0xD0 || (b[pos + 1] & 0xFF) > 0xD7))) {
                    pos++;
                }
                if (pos + 1 >= b.length) {
                    return null;
                }
                out.write(b, data, pos - data);
            }
        }
    }

    /** Whether a JPEG segment stays: all but APP1–APP15 and COM, save an ICC profile and Adobe's colour transform. */
    private static boolean kept(int marker, byte[] b, int from, int end) {
        if (marker == 0xFE) {
            return false;
        }
        if (marker < 0xE1 || marker > 0xEF) {
            return true;
        }
        return (marker == 0xE2 && startsWith(b, from, end, ascii("ICC_PROFILE\0")))
                || (marker == 0xEE && startsWith(b, from, end, ascii("Adobe")));
    }

    /** @return the PNG's chunks but its texts and time, up to its IEND; null when the chunks do not add up */
    private static byte[] png(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(b, 0, PNG_SIGNATURE.length);
        int pos = PNG_SIGNATURE.length;
        boolean orientationKept = false;
        while (pos + 12 <= b.length) {
            long length = readInt(b, pos) & 0xFFFF_FFFFL;
            long end = pos + 12 + length;
            if (end > b.length) {
                return null;
            }
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (!PNG_PERSONAL.contains(type)) {
                out.write(b, pos, (int) (end - pos));
            } else if (type.equals("eXIf") && !orientationKept) {
                int orientation = orientation(b, pos + 8, (int) (end - 4));
                if (orientation > 1) {
                    writePngChunk(out, "eXIf", orientationOnly(b[pos + 8] == 'I', orientation));
                    orientationKept = true;
                }
            }
            pos = (int) end;
            if (type.equals("IEND")) {
                return out.toByteArray();
            }
        }
        return null;
    }

    /**
     * The EXIF Orientation (TIFF tag 0x0112 in IFD0) of the TIFF structure in {@code b[tiff, end)}: a phone stores
     * its sensor's pixels and says here how to turn them.
     *
     * @return 1 to 8; 0 when there is none or the structure does not add up
     */
    static int orientation(byte[] b, int tiff, int end) {
        if (tiff < 0 || end > b.length || tiff + 8 > end) {
            return 0;
        }
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 0;
        }
        if (tiffShort(b, tiff + 2, little) != 42) {
            return 0;
        }
        long ifd = tiffInt(b, tiff + 4, little) & 0xFFFF_FFFFL;
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return 0;
        }
        int at = (int) (tiff + ifd);
        int entries = tiffShort(b, at, little);
        for (int i = 0; i < entries; i++) {
            int e = at + 2 + 12 * i;
            if (e + 12 > end) {
                return 0;
            }
            if (tiffShort(b, e, little) == 0x0112) {
                int value = tiffShort(b, e + 8, little);
                boolean shortOfOne = tiffShort(b, e + 2, little) == 3 && tiffInt(b, e + 4, little) == 1;
                return shortOfOne && value >= 1 && value <= 8 ? value : 0;
            }
        }
        return 0;
    }

    /**
     * A TIFF structure (EXIF's) holding only the Orientation: the header in the byte order given, IFD0 with its one
     * entry (SHORT, count 1, the value in the first two bytes of the entry's value field) and no next IFD. A portrait
     * shot from a phone stripped of it would reach the provider lying on its side.
     */
    static byte[] orientationOnly(boolean littleEndian, int orientation) {
        java.nio.ByteBuffer t = java.nio.ByteBuffer.allocate(8 + 2 + 12 + 4)
                .order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        t.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
        t.putShort((short) 42).putInt(8);
        t.putShort((short) 1);
        t.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        t.putInt(0);
        return t.array();
    }

    private static int tiffShort(byte[] b, int at, boolean little) {
        return little ? (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) : ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int tiffInt(byte[] b, int at, boolean little) {
        return little ? readIntLe(b, at) : readInt(b, at);
    }

    private static void writePngChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = ascii(type);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.write(data.length >>> 24);
        out.write(data.length >>> 16);
        out.write(data.length >>> 8);
        out.write(data.length);
        out.write(t, 0, t.length);
        out.write(data, 0, data.length);
        long c = crc.getValue();
        out.write((int) (c >>> 24));
        out.write((int) (c >>> 16));
        out.write((int) (c >>> 8));
        out.write((int) c);
    }

    /**
     * @return the WebP's chunks but XMP and EXIF, an EXIF's Orientation other than 1 kept in one of its own, its VP8X
     *         flags and RIFF size told; null when they do not add up
     */
    private static byte[] webp(byte[] b) {
        if (b.length < 12) {
            return null;
        }
        long riffEnd = 8 + (readIntLe(b, 4) & 0xFFFF_FFFFL);
        if (riffEnd > b.length || riffEnd < 12) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(b, 0, 12);
        int pos = 12;
        int flagsAt = -1;
        boolean orientationKept = false;
        while (pos < riffEnd) {
            if (pos + 8 > riffEnd) {
                return null;
            }
            long size = readIntLe(b, pos + 4) & 0xFFFF_FFFFL;
            long end = pos + 8 + size + (size & 1);
            if (pos + 8 + size > riffEnd) {
                return null;
            }
            end = Math.min(end, riffEnd); // a last chunk of odd size may lack its padding byte
            String fourcc = new String(b, pos, 4, StandardCharsets.ISO_8859_1);
            if (!fourcc.equals("EXIF") && !fourcc.equals("XMP ")) {
                if (fourcc.equals("VP8X")) {
                    if (size < 1) {
                        return null;
                    }
                    flagsAt = out.size() + 8;
                }
                out.write(b, pos, (int) (end - pos));
            } else if (fourcc.equals("EXIF") && !orientationKept && flagsAt >= 0) {
                // where it was (after the image data, as the container says), its flag set below; without a VP8X
                // before it no reader looks for it
                int tiff = pos + 8;
                int tiffEnd = (int) (pos + 8 + size);
                if (startsWith(b, tiff, tiffEnd, EXIF_HEADER)) {
                    tiff += EXIF_HEADER.length; // as some writers copy it from a JPEG's APP1
                }
                int orientation = orientation(b, tiff, tiffEnd);
                if (orientation > 1) {
                    writeRiffChunk(out, "EXIF", orientationOnly(b[tiff] == 'I', orientation));
                    orientationKept = true;
                }
            }
            pos = (int) end;
        }
        byte[] s = out.toByteArray();
        if (flagsAt >= 0) {
            s[flagsAt] = (byte) ((s[flagsAt] & ~(WEBP_EXIF_FLAG | WEBP_XMP_FLAG))
                    | (orientationKept ? WEBP_EXIF_FLAG : 0));
        }
        int riffSize = s.length - 8;
        s[4] = (byte) riffSize;
        s[5] = (byte) (riffSize >>> 8);
        s[6] = (byte) (riffSize >>> 16);
        s[7] = (byte) (riffSize >>> 24);
        return s;
    }

    /** A RIFF chunk: its FourCC, its size little-endian, its data and a padding byte when the size is odd. */
    private static void writeRiffChunk(ByteArrayOutputStream out, String fourcc, byte[] data) {
        out.write(ascii(fourcc), 0, 4);
        out.write(data.length);
        out.write(data.length >>> 8);
        out.write(data.length >>> 16);
        out.write(data.length >>> 24);
        out.write(data, 0, data.length);
        if ((data.length & 1) == 1) {
            out.write(0);
        }
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static int readIntLe(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 3] & 0xFF) << 24);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] b, int at, int end, byte[] prefix) {
        if (at + prefix.length > end) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
