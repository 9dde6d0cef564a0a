package io.argus.jobs.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.jobs.video.TestAvi;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.schemas.proto.Encoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFeedTest {

  static final Path VIDEOS = Stream.of(Path.of("..", "shared", "data"), Path.of("..", "..", "shared", "data"))
      .filter(Files::isDirectory).findFirst().orElse(Path.of("..", "shared", "data")).resolve("videos");

  @TempDir Path dir;

  private final List<byte[]> jpegs = new ArrayList<>();

  private Path video(int frames) throws Exception {
    TestAvi avi = new TestAvi().fourcc("MJPG").size(64, 48);
    for (int k = 0; k < frames; k++) {
      jpegs.add(TestAvi.jpeg(TestAvi.pattern(k, 64, 48)));
      avi.frame(jpegs.get(k));
    }
    return avi.write(dir.resolve("cam.avi"));
  }

  @Test
  void servesEveryFrameAndLoopsWithGroundTruthFromBesideTheVideo() throws Exception {
    Path file = video(8);
    // OTB: 1-based, and a last line missing: frame 7 has no truth
    StringBuilder gt = new StringBuilder();
    for (int k = 0; k < 7; k++) {
      gt.append(4 * k + 1).append(',').append(9).append(',').append(12).append(',').append(12).append('\n');
    }
    Files.writeString(dir.resolve("cam.groundtruth_rect.txt"), gt + "\n");
    try (VideoFeed feed = VideoFeed.open("c1", file)) {
      assertThat(feed.cameraId()).isEqualTo("c1");
      assertThat(feed.length()).isEqualTo(8);
      assertThat(feed.truthFile()).isEqualTo(dir.resolve("cam.groundtruth_rect.txt"));
      for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < 8; k++) {
          FeedFrame f = feed.frame(k);
          assertThat(f.encoding()).isEqualTo(Encoding.JPEG);
          assertThat(f.width()).isEqualTo(64);
          assertThat(f.height()).isEqualTo(48);
          assertThat(f.encoded()).isEqualTo(jpegs.get(k)); // Motion JPEG goes out untouched
          assertThat(f.truths()).isEqualTo(k < 7 ? List.of(new Box(4 * k, 8, 12, 12)) : List.of());
        }
      }
      assertThatThrownBy(() -> feed.frame(8)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void aVideoLargerThanItsBudgetDecodesAgainFromTheStart() throws Exception {
    Path file = video(10);
    long frameBytes = jpegs.stream().mapToLong(b -> b.length).max().orElseThrow();
    try (VideoFeed feed = VideoFeed.open("c", file, 3 * frameBytes)) {
      for (int k = 0; k < 10; k++) {
        assertThat(feed.frame(k).encoded()).isEqualTo(jpegs.get(k));
      }
      assertThat(feed.cachedBytes()).isLessThanOrEqualTo(3 * frameBytes);
      assertThat(feed.allCached()).isFalse();
      // frame 0 was dropped long ago: it comes back by decoding from the start
      assertThat(feed.frame(0).encoded()).isEqualTo(jpegs.get(0));
      assertThat(feed.frame(9).encoded()).isEqualTo(jpegs.get(9));
    }
  }

  @Test
  void aSmallVideoEndsUpWhollyInMemory() throws Exception {
    try (VideoFeed feed = VideoFeed.open("c", video(5))) {
      feed.frame(0);
      long deadline = System.currentTimeMillis() + 10_000;
      while (!feed.allCached() && System.currentTimeMillis() < deadline) {
        Thread.sleep(10); // the background decoder runs ahead of frame 0
      }
      assertThat(feed.allCached()).isTrue();
      assertThat(feed.cachedBytes()).isEqualTo(jpegs.stream().mapToLong(b -> b.length).sum());
    }
  }

  @Test
  void badGroundTruthIsReportedWithItsLine() throws Exception {
    Path file = video(2);
    Files.writeString(dir.resolve("cam.groundtruth_rect.txt"), "1,2,3,4\n1,2,x,4\n");
    assertThatThrownBy(() -> VideoFeed.open("c", file)).hasMessageContaining("line 2: not a number");
  }

  @Test
  void bagStartsWithItsFirstGroundTruthBox() throws Exception {
    Path bag = VIDEOS.resolve("bag.avi");
    if (!Files.exists(bag)) {
      System.out.println("skipped: " + bag + " absent (reference data in ../shared/data)");
    }
    Assumptions.assumeTrue(Files.exists(bag), "skipped: ../shared/data absent");
    try (VideoFeed feed = VideoFeed.open("bag", bag)) {
      assertThat(feed.length()).isEqualTo(196);
      assertThat(feed.groundTruth()).hasSize(196);
      FeedFrame f = feed.frame(0);
      // bag.groundtruth_rect.txt line 1: 292.23,128.36,145.96,132.47 (1-based)
      assertThat(f.truths()).hasSize(1);
      Box b = f.truths().get(0);
      assertThat(new double[] {b.x(), b.y(), b.width(), b.height()})
          .containsExactly(new double[] {291.23, 127.36, 145.96, 132.47}, org.assertj.core.data.Offset.offset(1e-9));
      RgbImage image = RgbImage.decode(f.encoded());
      assertThat(image.width()).isEqualTo(480);
      assertThat(image.height()).isEqualTo(360);
      assertThat(f.width()).isEqualTo(480);
    }
  }
}
