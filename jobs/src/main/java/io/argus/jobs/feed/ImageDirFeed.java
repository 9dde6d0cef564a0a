package io.argus.jobs.feed;

import io.argus.models.data.Sequence;
import io.argus.models.image.Box;
import io.argus.schemas.proto.Encoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A camera that replays an annotated sequence (OTB or GOT-10k layout). The image files are sent as
 * they are, already JPEG/PNG: nothing is decoded on the camera side.
 */
public final class ImageDirFeed implements CameraFeed {

  private final String cameraId;
  private final Sequence sequence;
  private final int width;
  private final int height;

  private ImageDirFeed(String cameraId, Sequence sequence, int width, int height) {
    this.cameraId = cameraId;
    this.sequence = sequence;
    this.width = width;
    this.height = height;
  }

  public static ImageDirFeed open(String cameraId, Path dir) {
    return of(cameraId, Sequence.open(dir));
  }

  public static ImageDirFeed of(String cameraId, Sequence seq) {
    int[] size = imageSize(seq.frames().get(0));
    return new ImageDirFeed(cameraId, seq, size[0], size[1]);
  }

  public Sequence sequence() {
    return sequence;
  }

  @Override
  public String cameraId() {
    return cameraId;
  }

  @Override
  public long length() {
    return sequence.frames().size();
  }

  @Override
  public FeedFrame frame(long index) {
    Path file = sequence.frames().get((int) index);
    try {
      byte[] bytes = Files.readAllBytes(file);
      String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      Encoding enc = name.endsWith(".png") ? Encoding.PNG : Encoding.JPEG;
      Box truth = sequence.groundTruth().get((int) index);
      return new FeedFrame(bytes, enc, width, height, List.of(truth));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read frame " + file, e);
    }
  }

  /** Reads only the header: the size without decoding the pixels. */
  private static int[] imageSize(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      var readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException(file + " is not a JPEG or PNG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
