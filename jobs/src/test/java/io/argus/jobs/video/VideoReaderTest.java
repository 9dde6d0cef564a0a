package io.argus.jobs.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoReaderTest {

  /** The reference data beside the repository: ../shared/data from the root, ../../shared/data from jobs/. */
  static final Path DATA = java.util.stream.Stream.of(Path.of("..", "shared", "data"), Path.of("..", "..", "shared", "data"))
      .filter(Files::isDirectory).findFirst().orElse(Path.of("..", "shared", "data"));
  static final Path VIDEOS = DATA.resolve("videos");

  @TempDir Path dir;

  static void assumeData(Path p) {
    if (!Files.exists(p)) {
      System.out.println("skipped: " + p + " absent (reference data in ../shared/data)");
    }
    Assumptions.assumeTrue(Files.exists(p), "skipped: " + p + " absent");
  }

  static double meanAbsDiff(RgbImage a, RgbImage b) {
    assertThat(a.width()).isEqualTo(b.width());
    assertThat(a.height()).isEqualTo(b.height());
    byte[] x = a.rgb();
    byte[] y = b.rgb();
    long sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
    }
    return (double) sum / x.length;
  }

  // --- Motion JPEG: a file the test writes -------------------------------------------------

  @Test
  void motionJpegFramesComeOutAsTheCamerasOwnJpegs() throws Exception {
    TestAvi avi = new TestAvi().fourcc("MJPG").size(64, 48).withAudio();
    List<byte[]> jpegs = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      jpegs.add(TestAvi.jpeg(TestAvi.pattern(k, 64, 48)));
      avi.frame(jpegs.get(k));
    }
    try (VideoReader r = VideoReader.open(avi.write(dir.resolve("m.avi")))) {
      assertThat(r.info()).isEqualTo(new VideoInfo("MJPG", 64, 48, 25.0, 6));
      for (int k = 0; k < 6; k++) {
        VideoFrame f = r.next();
        assertThat(f.isOriginalJpeg()).isTrue();
        assertThat(f.jpeg(0.5f)).isEqualTo(jpegs.get(k));
        assertThat(meanAbsDiff(f.image(), TestAvi.pattern(k, 64, 48))).isLessThan(3);
      }
      assertThat(r.next()).isNull();
    }
  }

  @Test
  void motionJpegWithoutHuffmanTablesGetsTheStandardOnes() throws Exception {
    byte[] full = TestAvi.jpeg(TestAvi.pattern(2, 64, 48));
    byte[] stripped = withoutSegments(full, 0xC4);
    assertThat(stripped.length).isLessThan(full.length);
    byte[] fixed = MotionJpegDecoder.withHuffmanTables(stripped);
    // ImageIO writes the Annex K tables, so putting them back restores the very same image
    assertThat(meanAbsDiff(RgbImage.decode(fixed), RgbImage.decode(full))).isZero();
    assertThat(MotionJpegDecoder.withHuffmanTables(full)).isSameAs(full);
  }

  @Test
  void aDroppedFrameRepeatsTheFrameBeforeIt() throws Exception {
    byte[] a = TestAvi.jpeg(TestAvi.pattern(0, 64, 48));
    byte[] b = TestAvi.jpeg(TestAvi.pattern(5, 64, 48));
    Path file = new TestAvi().frame(a).frame(new byte[0]).frame(b).write(dir.resolve("drop.avi"));
    try (VideoReader r = VideoReader.open(file)) {
      assertThat(r.info().frames()).isEqualTo(3);
      assertThat(r.next().jpeg(1f)).isEqualTo(a);
      assertThat(r.next().jpeg(1f)).isEqualTo(a);
      assertThat(r.next().jpeg(1f)).isEqualTo(b);
      assertThat(r.next()).isNull();
    }
  }

  // --- unsupported input ----------------------------------------------------------------------

  @Test
  void anUnsupportedCodecIsNamedWithWhatToDo() throws Exception {
    Path file = new TestAvi().fourcc("DIV3").frame(new byte[10]).write(dir.resolve("old.avi"));
    assertThatThrownBy(() -> VideoReader.open(file))
        .isInstanceOf(UnsupportedVideoException.class)
        .hasMessageContaining("'DIV3' (DivX 3 / Microsoft MPEG-4 v3) is not supported")
        .hasMessageContaining("MPEG-4 Part 2 (XVID, DIVX")
        .hasMessageContaining("Motion JPEG")
        .hasMessageContaining("ffmpeg -i old.avi old/%06d.jpg")
        .hasMessageContaining("--images old");
  }

  @Test
  void vtestIsRefusedAsDivX3() {
    Path vtest = VIDEOS.resolve("vtest.avi");
    assumeData(vtest);
    assertThatThrownBy(() -> VideoReader.open(vtest)).isInstanceOf(UnsupportedVideoException.class)
        .hasMessageContaining("'div3' (DivX 3");
  }

  @Test
  void notAnAviAtAll() throws Exception {
    Path mp4 = Files.write(dir.resolve("clip.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'});
    assertThatThrownBy(() -> VideoReader.open(mp4)).isInstanceOf(UnsupportedVideoException.class)
        .hasMessageContaining("clip.mp4 is not an AVI file");
    assertThatThrownBy(() -> VideoReader.open(dir.resolve("missing.avi"))).hasMessageContaining("no video file at");
  }

  @Test
  void aFileWhoseFramesAreNotWhatTheHeaderSaysFailsOnOpen() throws Exception {
    Path file = new TestAvi().fourcc("XVID").frame(new byte[50]).frame(new byte[50]).write(dir.resolve("junk.avi"));
    assertThatThrownBy(() -> VideoReader.open(file)).hasMessageContaining("no frame of its XVID video could be decoded");
  }

  // --- MPEG-4 Part 2: the reference videos -----------------------------------------------------

  @Test
  void bagDecodesToTheSequencesFrames() throws Exception {
    Path bag = VIDEOS.resolve("bag.avi");
    Path img = DATA.resolve("sequences/bag/img");
    assumeData(bag);
    assumeData(img);
    List<RgbImage> frames = new ArrayList<>();
    try (VideoReader r = VideoReader.open(bag)) {
      assertThat(r.info()).isEqualTo(new VideoInfo("XVID", 480, 360, 25.0, 196));
      for (int k = 0; k < 12; k++) {
        frames.add(r.next().image());
      }
    }
    RgbImage first = RgbImage.decode(Files.readAllBytes(img.resolve("00000001.jpg")));
    double mad = meanAbsDiff(frames.get(0), first);
    System.out.printf("bag.avi frame 0 vs sequences/bag/img/00000001.jpg: mean absolute difference %.2f grey levels%n",
        mad);
    assertThat(mad).isGreaterThan(0).isLessThan(4);
    // frame 10 is the sequence's 11th image, not a neighbour: order and count line up
    double[] near = new double[3];
    for (int j = 0; j < 3; j++) {
      near[j] = meanAbsDiff(frames.get(10), RgbImage.decode(Files.readAllBytes(img.resolve(
          String.format("%08d.jpg", 10 + j)))));
    }
    assertThat(near[1]).isLessThan(4).isLessThan(near[0] / 2).isLessThan(near[2] / 2);
  }

  @Test
  void packedBFramesComeOutInDisplayOrder() {
    Path megamind = VIDEOS.resolve("Megamind.avi");
    assumeData(megamind);
    List<RgbImage> frames = new ArrayList<>();
    try (VideoReader r = VideoReader.open(megamind)) {
      assertThat(r.info().frames()).isEqualTo(270);
      for (int k = 0; k < 12; k++) {
        frames.add(r.next().image());
      }
    }
    // in display order each frame lies between its neighbours: the step over one frame is larger
    // than either single step; a B-frame out of place breaks that
    for (int i = 3; i + 1 < frames.size(); i++) {
      double before = meanAbsDiff(frames.get(i - 1), frames.get(i));
      double after = meanAbsDiff(frames.get(i), frames.get(i + 1));
      double across = meanAbsDiff(frames.get(i - 1), frames.get(i + 1));
      assertThat(across).as("frame %d", i).isGreaterThan(Math.max(before, after));
    }
  }

  @Test
  void emptyChunksInMpeg4RepeatTheFrameBeforeAndKeepTheCount() {
    Path bag = VIDEOS.resolve("bag.avi");
    assumeData(bag);
    List<VideoFrame> out = new ArrayList<>();
    List<byte[]> chunks = new ArrayList<>();
    try (AviDemuxer d = AviDemuxer.open(bag)) {
      for (int k = 0; k < 4; k++) {
        chunks.add(d.frame(k));
      }
    }
    Mpeg4Part2Decoder decoder = new Mpeg4Part2Decoder(480, 360);
    decoder.decode(chunks.get(0), out);
    decoder.decode(chunks.get(1), out);
    decoder.decode(new byte[0], out); // a dropped frame
    decoder.decode(chunks.get(2), out);
    decoder.decode(chunks.get(3), out);
    decoder.flush(out);
    assertThat(out).hasSize(5);
    // frames: 0, 1, 1 (repeated), 2, 3
    assertThat(out.get(2).image().rgb()).isEqualTo(out.get(1).image().rgb());
    assertThat(meanAbsDiff(out.get(3).image(), out.get(1).image())).isGreaterThan(0);
  }

  static byte[] withoutSegments(byte[] jpeg, int marker) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    int p = 2;
    while (p + 4 <= jpeg.length && (jpeg[p] & 0xff) == 0xFF && (jpeg[p + 1] & 0xff) != 0xDA) {
      int len = ((jpeg[p + 2] & 0xff) << 8) | (jpeg[p + 3] & 0xff);
      if ((jpeg[p + 1] & 0xff) != marker) {
        out.write(jpeg, p, 2 + len);
      }
      p += 2 + len;
    }
    out.write(jpeg, p, jpeg.length - p);
    return out.toByteArray();
  }
}
