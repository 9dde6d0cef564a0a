package io.argus.jobs.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jcodec.api.FrameGrab;
import org.jcodec.common.io.NIOUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackVideosTest {

  @TempDir Path dir;

  private static BufferedImage blank() {
    return new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
  }

  @Test
  void oneCameraWritesTheFileAsNamed() throws Exception {
    TrackVideos videos = new TrackVideos(dir.resolve("tracks"), camera -> 10);
    for (int k = 0; k < 3; k++) {
      videos.write("cam", blank());
    }
    videos.close();
    assertThat(videos.files()).containsExactly(dir.resolve("tracks.mp4"));
    assertThat(Files.exists(dir.resolve("tracks-cam.mp4"))).isFalse();
    assertThat(frames(dir.resolve("tracks.mp4"))).isEqualTo(3);
  }

  @Test
  void severalCamerasGetOneFileEachAtTheirOwnRate() throws Exception {
    Map<String, Double> fps = new HashMap<>(Map.of("a", 5.0, "b/2", 25.0));
    TrackVideos videos = new TrackVideos(dir.resolve("out.mp4"), fps::get);
    videos.write("a", blank());
    videos.write("b/2", blank());
    videos.write("a", blank());
    videos.close();
    assertThat(videos.frames()).isEqualTo(3);
    assertThat(videos.files()).containsExactly(dir.resolve("out-a.mp4"), dir.resolve("out-b_2.mp4"));
    assertThat(frames(dir.resolve("out-a.mp4"))).isEqualTo(2);
    assertThat(duration(dir.resolve("out-a.mp4"))).isEqualTo(2 / 5.0);
    assertThat(duration(dir.resolve("out-b_2.mp4"))).isEqualTo(1 / 25.0);
  }

  private static int frames(Path file) throws Exception {
    try (var ch = NIOUtils.readableChannel(file.toFile())) {
      return FrameGrab.createFrameGrab(ch).getVideoTrack().getMeta().getTotalFrames();
    }
  }

  private static double duration(Path file) throws Exception {
    try (var ch = NIOUtils.readableChannel(file.toFile())) {
      return FrameGrab.createFrameGrab(ch).getVideoTrack().getMeta().getTotalDuration();
    }
  }
}
