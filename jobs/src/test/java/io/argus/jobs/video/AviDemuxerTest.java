package io.argus.jobs.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AviDemuxerTest {

  @TempDir Path dir;

  /** Five chunks of different, partly odd sizes with recognisable contents. */
  private static List<byte[]> chunks() {
    List<byte[]> out = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      byte[] b = new byte[100 + 7 * k]; // 100, 107, 114, 121, 128: odd ones need a pad byte
      Arrays.fill(b, (byte) (k + 1));
      b[0] = (byte) 0xAB;
      out.add(b);
    }
    return out;
  }

  private static TestAvi avi() {
    TestAvi avi = new TestAvi().fourcc("XVID").size(320, 240).rate(30000, 1001);
    chunks().forEach(avi::frame);
    return avi;
  }

  @Test
  void readsHeaderAndEveryFrameInOrder() throws Exception {
    Path file = avi().withAudio().write(dir.resolve("a.avi"));
    try (AviDemuxer d = AviDemuxer.open(file)) {
      AviDemuxer.Header h = d.header();
      assertThat(h.fourcc()).isEqualTo("XVID");
      assertThat(h.width()).isEqualTo(320);
      assertThat(h.height()).isEqualTo(240);
      assertThat(h.fps()).isCloseTo(29.97, org.assertj.core.data.Offset.offset(0.001));
      assertThat(h.declaredFrames()).isEqualTo(5);
      assertThat(d.frameCount()).isEqualTo(5);
      for (int k = 0; k < 5; k++) {
        assertThat(d.frame(k)).isEqualTo(chunks().get(k));
      }
    }
  }

  @Test
  void stepsIntoRecListsAndSkipsAudio() throws Exception {
    Path file = avi().withAudio().withRecLists().write(dir.resolve("rec.avi"));
    try (AviDemuxer d = AviDemuxer.open(file)) {
      assertThat(d.frameCount()).isEqualTo(5);
      assertThat(d.frame(4)).isEqualTo(chunks().get(4));
    }
  }

  @Test
  void aTruncatedFileKeepsItsWholeFrames() throws Exception {
    byte[] whole = avi().bytes();
    // cut inside the last frame: the idx1 and half of frame 4 are gone, the RIFF sizes now lie
    int lastFrame = indexOf(whole, chunks().get(4));
    Path file = dir.resolve("cut.avi");
    Files.write(file, Arrays.copyOf(whole, lastFrame + 50));
    try (AviDemuxer d = AviDemuxer.open(file)) {
      assertThat(d.frameCount()).isEqualTo(4);
      assertThat(d.frame(3)).isEqualTo(chunks().get(3));
    }
  }

  @Test
  void aRecordingThatStoppedBeforeItsSizesWereWrittenStillReads() throws Exception {
    byte[] b = avi().bytes();
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    le.putInt(4, 0); // RIFF size
    int movi = indexOf(b, "movi".getBytes());
    le.putInt(movi - 4, 0); // LIST movi size
    Path file = dir.resolve("crashed.avi");
    Files.write(file, b);
    try (AviDemuxer d = AviDemuxer.open(file)) {
      assertThat(d.frameCount()).isEqualTo(5);
      assertThat(d.frame(2)).isEqualTo(chunks().get(2));
    }
  }

  @Test
  void damageBetweenFramesIsSkipped() throws Exception {
    byte[] b = avi().bytes();
    // overwrite the header of frame 1 with garbage: frames 0, 2, 3, 4 remain
    int frame1 = indexOf(b, chunks().get(1)) - 8;
    for (int i = 0; i < 8; i++) {
      b[frame1 + i] = (byte) 0xFF;
    }
    Path file = dir.resolve("damaged.avi");
    Files.write(file, b);
    try (AviDemuxer d = AviDemuxer.open(file)) {
      assertThat(d.frameCount()).isEqualTo(4);
      assertThat(d.frame(1)).isEqualTo(chunks().get(2));
    }
  }

  @Test
  void refusesWhatIsNotAnAvi() throws Exception {
    Path file = Files.write(dir.resolve("x.avi"), "RIFF\0\0\0\0WAVEfmt ".getBytes());
    assertThat(AviDemuxer.isAvi(file)).isFalse();
    assertThatThrownBy(() -> AviDemuxer.open(file)).hasMessageContaining("not an AVI");
    Path empty = new TestAvi().write(dir.resolve("empty.avi"));
    assertThatThrownBy(() -> AviDemuxer.open(empty)).hasMessageContaining("no frames");
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
