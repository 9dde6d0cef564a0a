package io.argus.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.video.Yuv;
import io.argus.models.image.RgbImage;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.api.FrameGrab;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H264Mp4WriterTest {

  @TempDir Path dir;

  /** A smooth gradient with a bright square moving 6 px a frame; 100x70 is no multiple of 16. */
  static RgbImage frame(int k, int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        boolean square = x >= 6 * k + 5 && x < 6 * k + 25 && y >= 20 && y < 40;
        rgb[i] = (byte) (square ? 250 : 2 * x);
        rgb[i + 1] = (byte) (square ? 240 : 3 * y);
        rgb[i + 2] = (byte) (square ? 30 : 128);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  static double meanAbsDiff(RgbImage a, RgbImage b) {
    long sum = 0;
    for (int i = 0; i < a.rgb().length; i++) {
      sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
    }
    return (double) sum / a.rgb().length;
  }

  @Test
  void framesWrittenAreTheFramesReadBack() throws Exception {
    int n = 8;
    Path file = dir.resolve("out.mp4");
    List<RgbImage> written = new ArrayList<>();
    try (H264Mp4Writer w = H264Mp4Writer.create(file, 12.5)) {
      for (int k = 0; k < n; k++) {
        written.add(frame(k, 100, 70));
        w.write(written.get(k).toBufferedImage());
      }
      assertThat(w.frames()).isEqualTo(n);
    }
    List<RgbImage> read = new ArrayList<>();
    try (var ch = NIOUtils.readableChannel(file.toFile())) {
      FrameGrab grab = FrameGrab.createFrameGrab(ch);
      DemuxerTrackMeta meta = grab.getVideoTrack().getMeta();
      assertThat(meta.getTotalFrames()).isEqualTo(n);
      assertThat(meta.getTotalDuration()).isCloseTo(n / 12.5, org.assertj.core.data.Offset.offset(1e-6));
      Picture p;
      while ((p = grab.getNativeFrame()) != null) {
        read.add(Yuv.toRgb(p));
      }
    }
    assertThat(read).hasSize(n);
    for (int k = 0; k < n; k++) {
      RgbImage r = read.get(k);
      assertThat(r.width()).isEqualTo(100);
      assertThat(r.height()).isEqualTo(70);
      double same = meanAbsDiff(r, written.get(k));
      assertThat(same).as("frame %d", k).isLessThan(6);
      // and it is this frame, not a neighbour: the moving square tells them apart
      if (k > 0) {
        assertThat(meanAbsDiff(r, written.get(k - 1))).isGreaterThan(same + 1);
      }
    }
  }

  @Test
  void everyFrameMustHaveTheSizeOfTheFirst() {
    try (H264Mp4Writer w = H264Mp4Writer.create(dir.resolve("x.mp4"), 25)) {
      w.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB));
      assertThatThrownBy(() -> w.write(new BufferedImage(16, 32, BufferedImage.TYPE_INT_RGB)))
          .hasMessageContaining("holds 32x32 frames; got one of 16x32");
    }
    assertThatThrownBy(() -> H264Mp4Writer.create(dir.resolve("y.mp4"), 0)).hasMessageContaining("frame rate");
  }

  @Test
  void aVideoWithNoFramesLeavesNoFile() {
    Path file = dir.resolve("none.mp4");
    H264Mp4Writer.create(file, 25).close();
    assertThat(Files.exists(file)).isFalse();
  }
}
