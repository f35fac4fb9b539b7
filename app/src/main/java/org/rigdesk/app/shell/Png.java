package org.rigdesk.app.shell;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/** A snapshot of the window as PNG: the pixels taken at once, the encoding and writing on any thread. */
public final class Png {

    private final int width;
    private final int height;
    private final int[] argb;

    private Png(int width, int height, int[] argb) {
        this.width = width;
        this.height = height;
        this.argb = argb;
    }

    public static Png of(WritableImage image) {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        int[] argb = new int[width * height];
        image.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
        return new Png(width, height, argb);
    }

    /** Writes the file, creating its folder. */
    public void write(Path file) throws IOException {
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        picture.setRGB(0, 0, width, height, argb, 0, width);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(picture, "png", file.toFile())) {
            throw new IOException("no PNG writer in this runtime");
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
