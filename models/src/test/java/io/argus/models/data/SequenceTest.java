package io.argus.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceTest {

  private static final Path SHARED = SharedData.sequences();

  @TempDir Path tmp;

  @Test
  void otbLayoutIsOneBasedAndSortedNumerically() throws IOException {
    Path dir = tmp.resolve("Walker");
    Files.createDirectories(dir.resolve("img"));
    for (int i = 1; i <= 12; i++) {
      writeFrame(dir.resolve("img").resolve(i + ".jpg"), i);
    }
    StringBuilder gt = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      gt.append(i % 3 == 0 ? i + "\t2\t30\t40\n" : i % 3 == 1 ? i + ",2,30,40\n" : i + " 2  30 40\n");
    }
    Files.writeString(dir.resolve("groundtruth_rect.txt"), gt + "\n\n");
    Sequence s = Sequence.open(dir);
    assertThat(s.name()).isEqualTo("Walker");
    assertThat(s.size()).isEqualTo(12);
    assertThat(s.frames().get(1).getFileName().toString()).isEqualTo("2.jpg");
    assertThat(s.frames().get(9).getFileName().toString()).isEqualTo("10.jpg");
    assertThat(s.truth(0)).isEqualTo(new Box(0, 1, 30, 40));
    assertThat(s.truth(9)).isEqualTo(new Box(9, 1, 30, 40));
    // the frame content says which file it is
    assertThat(s.image(9).at(0, 0, 0)).isBetween(95, 105);
  }

  @Test
  void got10kLayoutIsOneBasedWithAbsentFrames() throws IOException {
    Path dir = tmp.resolve("GOT-10k_Val_000001");
    Files.createDirectories(dir);
    for (int i = 1; i <= 3; i++) {
      writeFrame(dir.resolve(String.format("%08d.jpg", i)), i);
    }
    Files.writeString(dir.resolve("groundtruth.txt"), "10.5,20,30,40\n11,21,30,40\n12,22,30,40\n");
    Files.writeString(dir.resolve("absence.label"), "0\n1\n0\n");
    Sequence s = Sequence.open(dir);
    assertThat(s.truth(0)).isEqualTo(new Box(9.5, 19, 30, 40));
    assertThat(s.truth(1).isValid()).isFalse();
    assertThat(s.truth(2)).isEqualTo(new Box(11, 21, 30, 40));
  }

  @Test
  void countMismatchUsesTheShorterAndPolygonsBecomeHulls() throws IOException {
    Path dir = tmp.resolve("short");
    Files.createDirectories(dir.resolve("img"));
    for (int i = 1; i <= 5; i++) {
      writeFrame(dir.resolve("img").resolve(String.format("%04d.png", i)), i);
    }
    Files.writeString(dir.resolve("groundtruth_rect.txt"), "1,1,10,10\n11,21,31,21,31,41,11,41\nNaN,NaN,NaN,NaN\n");
    Sequence s = Sequence.open(dir);
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.truth(1)).isEqualTo(new Box(10, 20, 20, 20));
    assertThat(s.truth(2).isValid()).isFalse();
  }

  @Test
  void multiTargetOtbFoldersOpenOnePerTarget() throws IOException {
    Path dir = tmp.resolve("Jogging");
    Files.createDirectories(dir.resolve("img"));
    writeFrame(dir.resolve("img").resolve("0001.jpg"), 1);
    Files.writeString(dir.resolve("groundtruth_rect.1.txt"), "1,1,10,10\n");
    Files.writeString(dir.resolve("groundtruth_rect.2.txt"), "5,5,10,10\n");
    List<Sequence> all = Sequence.openAll(tmp);
    assertThat(all).extracting(Sequence::name).containsExactly("Jogging.1", "Jogging.2");
    assertThat(all.get(1).truth(0)).isEqualTo(new Box(4, 4, 10, 10));
  }

  @Test
  void badFoldersSayWhatIsWrong() throws IOException {
    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    assertThatThrownBy(() -> Sequence.open(empty)).hasMessageContaining("no ground truth").hasMessageContaining("groundtruth_rect.txt");
    assertThatThrownBy(() -> Sequence.openAll(empty)).hasMessageContaining("holds no sequence");
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad.resolve("img"));
    writeFrame(bad.resolve("img").resolve("1.jpg"), 1);
    Files.writeString(bad.resolve("groundtruth_rect.txt"), "1,2,3\n");
    assertThatThrownBy(() -> Sequence.open(bad)).hasMessageContaining("line 1").hasMessageContaining("expected 4 numbers");
    Files.writeString(bad.resolve("groundtruth_rect.txt"), "1,2,x,4\n");
    assertThatThrownBy(() -> Sequence.open(bad)).hasMessageContaining("not a number");
  }

  @Test
  void sharedOtbSequencesOpen() {
    Path crossing = SHARED.resolve("Crossing");
    Assumptions.assumeTrue(Files.isDirectory(crossing), "skipped: ../shared/data absent");
    List<Sequence> all = Sequence.openAll(SHARED);
    assertThat(all).extracting(Sequence::name).contains("Crossing", "Girl", "bag", "uav123_boat1");
    Sequence s = Sequence.open(crossing);
    assertThat(s.size()).isEqualTo(120);
    assertThat(s.truth(0)).isEqualTo(new Box(204, 150, 17, 50));
    RgbImage first = s.image(0);
    assertThat(first.width()).isEqualTo(360);
    assertThat(first.height()).isEqualTo(240);
  }

  private static void writeFrame(Path file, int value) throws IOException {
    byte[] rgb = new byte[16 * 16 * 3];
    java.util.Arrays.fill(rgb, (byte) (value * 10));
    RgbImage img = new RgbImage(16, 16, rgb);
    Files.write(file, file.toString().endsWith(".png") ? ImageEncoding.png(img) : ImageEncoding.jpeg(img, 0.95f));
  }
}
