package io.argus.models.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds ../shared/data from the project root or from a module folder (where surefire runs). */
final class SharedData {

  private SharedData() {}

  static Path sequences() {
    for (String candidate : new String[] {"../shared/data/sequences", "../../shared/data/sequences"}) {
      Path p = Path.of(candidate);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    System.out.println("skipped: ../shared/data/sequences absent");
    return Path.of("../shared/data/sequences");
  }
}
