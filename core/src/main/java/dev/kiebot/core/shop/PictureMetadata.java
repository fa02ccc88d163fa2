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
 * <p>Kept is what decoding needs: a JPEG's APP0 (JFIF), its ICC profile (APP2 {@code ICC_PROFILE}: an iPhone's Display
 * P3 picture read without it comes out washed out) and its APP14 {@code Adobe} segment (a CMYK JPEG's colour transform;
 * a few flag bytes); a PNG's every chunk but its texts and time; a WebP's every chunk but EXIF and XMP. Bytes after the
 * picture's end (a JPEG's HDR gain map or a phone's trailer, with their own EXIF; anything after a PNG's IEND or a
 * WebP's RIFF) are dropped, as decoders ignore them.
 *
 * <p>A file read here that does not add up is returned as it came: the job was paid for, and a provider that can read
 * more than this parser should not lose the picture to it.
 */
final class PictureMetadata {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
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
        byte[] out;
        if (b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            out = jpeg(b);
        } else if (startsWith(b, 0, PNG_SIGNATURE)) {
            out = png(b);
        } else if (startsWith(b, 0, ascii("RIFF")) && startsWith(b, 8, ascii("WEBP"))) {
            out = webp(b);
        } else {
            out = null;
        }
        return out == null || Arrays.equals(out, b) ? b : out;
    }

    /** @return the JPEG's segments that decoding needs, up to its EOI; null when the segments do not add up */
    private static byte[] jpeg(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(0xFF);
        out.write(0xD8);
        int pos = 2;
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
        while (pos + 12 <= b.length) {
            long length = readInt(b, pos) & 0xFFFF_FFFFL;
            long end = pos + 12 + length;
            if (end > b.length) {
                return null;
            }
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (!PNG_PERSONAL.contains(type)) {
                out.write(b, pos, (int) (end - pos));
            }
            pos = (int) end;
            if (type.equals("IEND")) {
                return out.toByteArray();
            }
        }
        return null;
    }

    /** @return the WebP's chunks but EXIF and XMP, its VP8X flags and RIFF size told; null when they do not add up */
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
            }
            pos = (int) end;
        }
        byte[] s = out.toByteArray();
        if (flagsAt >= 0) {
            s[flagsAt] = (byte) (s[flagsAt] & ~(WEBP_EXIF_FLAG | WEBP_XMP_FLAG));
        }
        int riffSize = s.length - 8;
        s[4] = (byte) riffSize;
        s[5] = (byte) (riffSize >>> 8);
        s[6] = (byte) (riffSize >>> 16);
        s[7] = (byte) (riffSize >>> 24);
        return s;
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

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        return startsWith(b, at, b.length, prefix);
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
