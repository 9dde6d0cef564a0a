package io.argus.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The model that ships with Argus: a slim SiamFC trained by {@code argus train} on generated
 * scenes (see README.md beside it in {@value #RESOURCE_DIR}). The quick start and the
 * end-to-end tests track with it, so nothing has to be downloaded.
 */
public final class DefaultModel {

  /** Classpath folder of the default model. */
  public static final String RESOURCE_DIR = "io/argus/models/default/siamfc/";

  /** What a model directory needs; the SavedModel holds its weights as constants, so no variables/. */
  private static final List<String> FILES = List.of(ModelSpec.FILE_NAME, "saved_model.pb");

  private DefaultModel() {}

  /**
   * A directory holding the default model. Straight from the classpath folder when that is a
   * directory on disk (a build tree); copied once from the jar into a cache folder under
   * {@code java.io.tmpdir} otherwise (named by the content hash, so a new model gets a new folder).
   */
  public static synchronized Path materialize() {
    URL spec = DefaultModel.class.getClassLoader().getResource(RESOURCE_DIR + ModelSpec.FILE_NAME);
    if (spec == null) {
      throw new IllegalStateException("the default model is not on the classpath (" + RESOURCE_DIR
          + "): build the models module, or pass a model directory explicitly");
    }
    if ("file".equals(spec.getProtocol())) {
      try {
        return Paths.get(spec.toURI()).getParent();
      } catch (URISyntaxException e) {
        throw new IllegalStateException("odd classpath URL " + spec, e);
      }
    }
    try {
      Path cache = Paths.get(System.getProperty("java.io.tmpdir"), "argus-models", "siamfc-default-" + hash());
      if (Files.isRegularFile(cache.resolve("saved_model.pb")) && Files.isRegularFile(cache.resolve(ModelSpec.FILE_NAME))) {
        return cache;
      }
      Files.createDirectories(cache.getParent());
      Path tmp = Files.createTempDirectory(cache.getParent(), "partial-");
      for (String f : FILES) {
        try (InputStream in = open(f)) {
          Files.copy(in, tmp.resolve(f));
        }
      }
      try {
        Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // Another JVM materialised it first (on Linux a lost race onto a non-empty directory is a plain
        // FileSystemException, not FileAlreadyExistsException): theirs is as good as ours.
        deleteQuietly(tmp);
        if (!Files.isRegularFile(cache.resolve("saved_model.pb"))) {
          throw e;
        }
      }
      return cache;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the default model out of the jar", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a leftover partial-* directory in tmp is harmless
    }
  }

  private static InputStream open(String file) throws IOException {
    InputStream in = DefaultModel.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file);
    if (in == null) {
      throw new IOException("default model resource missing: " + RESOURCE_DIR + file);
    }
    return in;
  }

  private static String hash() throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String f : FILES) {
        try (InputStream in = open(f)) {
          md.update(in.readAllBytes());
        }
      }
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
