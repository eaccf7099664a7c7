package dev.coach.engine.tokenizer;

/**
 * The GPT-2 byte-to-unicode table: bytes 33..126, 161..172 and 174..255 stand for themselves, the other 68 bytes map to
 * code points 256, 257, ... in increasing byte order, so every byte is a printable vocabulary character.
 */
public final class ByteUnicode {
    private static final int[] BYTE_TO_CP = new int[256];
    private static final int[] CP_TO_BYTE = new int[256 + 68];

    static {
        java.util.Arrays.fill(CP_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean self = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            int cp = self ? b : 256 + n++;
            BYTE_TO_CP[b] = cp;
            CP_TO_BYTE[cp] = b;
        }
    }

    private ByteUnicode() {
    }

    /** The code point standing for byte {@code b} (0..255). */
    public static int toCodePoint(int b) {
        return BYTE_TO_CP[b & 0xFF];
    }

    /** The byte a code point stands for, or -1 if it is not in the table. */
    public static int toByte(int codePoint) {
        return codePoint >= 0 && codePoint < CP_TO_BYTE.length ? CP_TO_BYTE[codePoint] : -1;
    }

    /** Maps each byte to its vocabulary character. */
    public static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.appendCodePoint(BYTE_TO_CP[b & 0xFF]);
        }
        return sb.toString();
    }
}
