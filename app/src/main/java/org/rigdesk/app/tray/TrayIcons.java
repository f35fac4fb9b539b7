package org.rigdesk.app.tray;

/**
 * The tray icon drawn in code, so it looks the same without an icon theme: a rounded square in
 * the state's colour with a white "chip" mark. ARGB pixels, as StatusNotifierItem's IconPixmap and
 * AWT's images both take.
 */
public final class TrayIcons {

    private TrayIcons() {
    }

    static int colour(TrayState.Status status) {
        return switch (status) {
            case IDLE -> 0xFF3B7DD8;       // blue
            case BUSY -> 0xFF2DA44E;       // green
            case ATTENTION -> 0xFFD1242F;  // red
        };
    }

    /** {@code size × size} ARGB pixels, row by row. */
    public static int[] argb(TrayState.Status status, int size) {
        int[] pixels = new int[size * size];
        int fill = colour(status);
        double radius = size * 0.22;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double cx = Math.max(radius, Math.min(size - 1 - radius, x));
                double cy = Math.max(radius, Math.min(size - 1 - radius, y));
                double d = Math.hypot(x - cx, y - cy);
                if (d <= radius) {
                    pixels[y * size + x] = fill;
                }
            }
        }
        // The mark: a square "die" with pins on two sides, like a GPU chip.
        int lo = Math.round(size * 0.3f);
        int hi = size - 1 - lo;
        for (int y = lo; y <= hi; y++) {
            for (int x = lo; x <= hi; x++) {
                boolean border = x == lo || x == hi || y == lo || y == hi;
                boolean core = x > lo + 1 && x < hi - 1 && y > lo + 1 && y < hi - 1;
                if (border || core) {
                    pixels[y * size + x] = 0xFFFFFFFF;
                }
            }
        }
        for (int pin = lo + 1; pin < hi; pin += 2) {
            pixels[pin * size + lo - 2] = 0xFFFFFFFF;
            pixels[pin * size + hi + 2] = 0xFFFFFFFF;
        }
        return pixels;
    }

    /** The same pixels in network byte order (A, R, G, B per pixel), as IconPixmap wants them. */
    public static byte[] argbBytes(TrayState.Status status, int size) {
        int[] pixels = argb(status, size);
        byte[] bytes = new byte[pixels.length * 4];
        for (int i = 0; i < pixels.length; i++) {
            bytes[i * 4] = (byte) (pixels[i] >>> 24);
            bytes[i * 4 + 1] = (byte) (pixels[i] >>> 16);
            bytes[i * 4 + 2] = (byte) (pixels[i] >>> 8);
            bytes[i * 4 + 3] = (byte) pixels[i];
        }
        return bytes;
    }
}
