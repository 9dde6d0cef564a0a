package io.argus.models.data;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An annotated video on disk: frame files in order and one ground-truth box per frame, 0-based.
 * Frames whose annotation is missing (NaN, zero or negative size) keep an invalid box
 * ({@link Box#isValid()} false): evaluation skips them, pair sampling avoids them.
 *
 * <p>Layouts read:
 *
 * <ul>
 *   <li>OTB (also UAV123/VOT exports): {@code img/*.jpg} + {@code groundtruth_rect.txt}; two
 *       targets in one video come as {@code groundtruth_rect.1.txt}, {@code .2.txt}.
 *   <li>GOT-10k: {@code *.jpg} + {@code groundtruth.txt} in the sequence folder, with an
 *       optional {@code absence.label} (1 = target absent in that frame).
 * </ul>
 *
 * Both files hold one {@code x,y,w,h} per line with a 1-based top-left corner (OTB by
 * convention; GOT-10k per its authors, got-10k/toolkit issue 6), separated by commas, tabs or
 * spaces; 8 numbers (a VOT polygon) become its axis-aligned hull.
 */
public record Sequence(String name, List<Path> frames, List<Box> groundTruth) {

  private static final Logger LOG = LoggerFactory.getLogger(Sequence.class);

  public Sequence {
    frames = List.copyOf(frames);
    groundTruth = List.copyOf(groundTruth);
    if (frames.size() != groundTruth.size()) {
      throw new IllegalArgumentException(
          name + ": " + frames.size() + " frames but " + groundTruth.size() + " ground-truth boxes");
    }
    if (frames.isEmpty()) {
      throw new IllegalArgumentException(name + ": a sequence needs at least one frame");
    }
  }

  public int size() {
    return frames.size();
  }

  public Box truth(int frame) {
    return groundTruth.get(frame);
  }

  /** Reads and decodes one frame. */
  public RgbImage image(int frame) {
    Path file = frames.get(frame);
    try {
      return RgbImage.decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read frame " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("frame " + file + ": " + e.getMessage(), e);
    }
  }

  /** True when {@code dir} looks like an OTB or GOT-10k sequence folder. */
  public static boolean isSequence(Path dir) {
    return Files.isDirectory(dir)
        && (Files.isDirectory(dir.resolve("img")) && !otbTruthFiles(dir).isEmpty() || Files.isRegularFile(dir.resolve("groundtruth.txt")));
  }

  /**
   * Opens one sequence folder (OTB or GOT-10k layout). With several targets (OTB's
   * {@code groundtruth_rect.1.txt} ...) this opens the first; {@link #openAll} opens each.
   */
  public static Sequence open(Path dir) {
    List<Sequence> all = openFolder(dir);
    if (all.size() > 1) {
      LOG.warn("{} annotates {} targets; using the first ({}); open the folder with Sequence.openAll for all",
          dir, all.size(), all.get(0).name());
    }
    return all.get(0);
  }

  /**
   * Opens {@code path} when it is a sequence folder, else every sequence folder directly inside
   * it (a benchmark root such as OTB100/ or GOT-10k/val/), in name order.
   */
  public static List<Sequence> openAll(Path path) {
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException(path + " is not a directory");
    }
    if (isSequence(path)) {
      return openFolder(path);
    }
    List<Sequence> out = new ArrayList<>();
    try (Stream<Path> children = Files.list(path)) {
      for (Path child : children.filter(Sequence::isSequence).sorted().toList()) {
        out.addAll(openFolder(child));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(path + " holds no sequence: expected img/*.jpg + groundtruth_rect.txt (OTB) or "
          + "*.jpg + groundtruth.txt (GOT-10k), there or in its subfolders");
    }
    return out;
  }

  private static List<Sequence> openFolder(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("sequence folder " + dir + " does not exist");
    }
    String name = dir.toAbsolutePath().normalize().getFileName().toString();
    List<Path> otb = otbTruthFiles(dir);
    if (Files.isDirectory(dir.resolve("img")) && !otb.isEmpty()) {
      List<Path> frames = images(dir.resolve("img"));
      List<Sequence> out = new ArrayList<>();
      for (Path truthFile : otb) {
        String suffix = truthFile.getFileName().toString().replaceAll("^groundtruth_rect\\.?|txt$", "").replaceAll("\\.$", "");
        String seqName = suffix.isEmpty() ? name : name + "." + suffix;
        out.add(build(seqName, frames, readBoxes(truthFile), truthFile));
      }
      return out;
    }
    Path got = dir.resolve("groundtruth.txt");
    if (Files.isRegularFile(got)) {
      List<Path> frames = images(dir);
      List<Box> boxes = readBoxes(got);
      Path absence = dir.resolve("absence.label");
      if (Files.isRegularFile(absence)) {
        boxes = markAbsent(boxes, absence);
      }
      if (boxes.size() == 1 && frames.size() > 1) {
        LOG.warn("{}: only the first frame is annotated (a GOT-10k test sequence?); it cannot be evaluated or trained on", dir);
      }
      return List.of(build(name, frames, boxes, got));
    }
    throw new IllegalArgumentException("no ground truth in " + dir + ": expected img/*.jpg + groundtruth_rect.txt (OTB) or "
        + "*.jpg + groundtruth.txt (GOT-10k)");
  }

  private static Sequence build(String name, List<Path> frames, List<Box> boxes, Path truthFile) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("no .jpg/.jpeg/.png frames found for " + truthFile);
    }
    if (boxes.isEmpty()) {
      throw new IllegalArgumentException(truthFile + " holds no boxes");
    }
    int n = Math.min(frames.size(), boxes.size());
    if (frames.size() != boxes.size()) {
      // a few OTB sequences annotate a sub-range of their frames; this reader cannot know which
      LOG.warn("{}: {} frames but {} ground-truth lines in {}; using the first {} of each", name, frames.size(),
          boxes.size(), truthFile.getFileName(), n);
    }
    return new Sequence(name, frames.subList(0, n), boxes.subList(0, n));
  }

  private static List<Path> otbTruthFiles(Path dir) {
    Path single = dir.resolve("groundtruth_rect.txt");
    if (Files.isRegularFile(single)) {
      return List.of(single);
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches("groundtruth_rect\\.\\d+\\.txt"))
          .sorted(Comparator.comparing(p -> naturalKey(p.getFileName().toString())))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Image files in natural order: "2.jpg" before "10.jpg", whatever the zero padding. */
  static List<Path> images(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)"))
          .sorted(Comparator.comparing(p -> naturalKey(p.getFileName().toString())))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Runs of digits padded to 20 characters so that string order is numeric order. */
  static String naturalKey(String name) {
    StringBuilder key = new StringBuilder();
    int i = 0;
    while (i < name.length()) {
      char c = name.charAt(i);
      if (Character.isDigit(c)) {
        int j = i;
        while (j < name.length() && Character.isDigit(name.charAt(j))) {
          j++;
        }
        String digits = name.substring(i, j).replaceFirst("^0+(?=.)", "");
        key.append("0".repeat(Math.max(0, 20 - digits.length()))).append(digits);
        i = j;
      } else {
        key.append(c);
        i++;
      }
    }
    return key.toString();
  }

  /**
   * Parses an OTB-style ground-truth file: 1-based x,y,w,h lines (or 8-number polygons, which
   * become their axis-aligned hull) into 0-based boxes. Shared by sequence folders and videos.
   */
  public static List<Box> readBoxes(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    int last = lines.size();
    while (last > 0 && lines.get(last - 1).isBlank()) {
      last--;
    }
    List<Box> boxes = new ArrayList<>(last);
    for (int i = 0; i < last; i++) {
      String line = lines.get(i).trim();
      String[] parts = line.isEmpty() ? new String[0] : line.split("[,;\\s]+");
      double[] v = new double[parts.length];
      try {
        for (int k = 0; k < parts.length; k++) {
          v[k] = Double.parseDouble(parts[k]);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": not a number in \"" + line + "\"");
      }
      if (v.length == 4) {
        boxes.add(new Box(v[0] - 1, v[1] - 1, v[2], v[3]));
      } else if (v.length == 8) {
        double x0 = Math.min(Math.min(v[0], v[2]), Math.min(v[4], v[6]));
        double x1 = Math.max(Math.max(v[0], v[2]), Math.max(v[4], v[6]));
        double y0 = Math.min(Math.min(v[1], v[3]), Math.min(v[5], v[7]));
        double y1 = Math.max(Math.max(v[1], v[3]), Math.max(v[5], v[7]));
        boxes.add(new Box(x0 - 1, y0 - 1, x1 - x0, y1 - y0));
      } else {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 4 numbers x,y,w,h (or 8 for a polygon), got "
            + v.length + " in \"" + line + "\"");
      }
    }
    return boxes;
  }

  private static List<Box> markAbsent(List<Box> boxes, Path absence) {
    List<String> flags;
    try {
      flags = Files.readAllLines(absence);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + absence, e);
    }
    List<Box> out = new ArrayList<>(boxes);
    for (int i = 0; i < Math.min(flags.size(), out.size()); i++) {
      if (flags.get(i).trim().equals("1")) {
        out.set(i, new Box(Double.NaN, Double.NaN, Double.NaN, Double.NaN));
      }
    }
    return out;
  }
}
