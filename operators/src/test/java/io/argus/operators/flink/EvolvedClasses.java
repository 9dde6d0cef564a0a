package io.argus.operators.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Another version of a class, compiled in the test and loaded beside the current one: how a test
 * plays "the job after an upgrade" in one JVM. The new version's classes (and every class named by
 * {@code childFirst}) load from the given directories first, everything else from the test's own
 * class loader.
 */
final class EvolvedClasses {

  private EvolvedClasses() {}

  /** Compiles Java sources (file name to text) into {@code out}, against the test class path. */
  static Path compile(Path out, java.util.Map<String, String> sources) throws IOException {
    Path src = Files.createDirectories(out.resolve("src"));
    Path classes = Files.createDirectories(out.resolve("classes"));
    List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString(), "-classpath", classPath(),
        "-nowarn", "-proc:none"));
    for (var e : sources.entrySet()) {
      Path file = src.resolve(e.getKey());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler in this runtime: run the tests on a JDK");
    }
    var errors = new java.io.ByteArrayOutputStream();
    if (javac.run(null, null, errors, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("compiling the evolved class failed:\n" + errors);
    }
    return classes;
  }

  /**
   * The current {@code TargetState} source with one more record component at the end, plus a
   * constructor with the old components so the tracking code compiled against the current
   * version links to it unchanged: what a developer would write to add a field.
   */
  static String targetStateWithAddedField(String currentSource, String component, String defaultValue) {
    Matcher header = Pattern.compile("public record TargetState\\((.*?)\\)\\s*\\{", Pattern.DOTALL)
        .matcher(currentSource);
    if (!header.find()) {
      throw new IllegalStateException("TargetState.java no longer declares 'public record TargetState(...) {'");
    }
    String components = header.group(1).trim();
    StringBuilder names = new StringBuilder();
    for (String c : components.split(",")) {
      String[] parts = c.trim().split("\\s+");
      names.append(parts[parts.length - 1]).append(", ");
    }
    String evolved = "public record TargetState(" + components + ", " + component + ") {\n\n"
        + "  /** The constructor of the version before; the added field starts unknown. */\n"
        + "  public TargetState(" + components + ") {\n    this(" + names + defaultValue + ");\n  }\n";
    return currentSource.substring(0, header.start()) + evolved + currentSource.substring(header.end());
  }

  /** A class loader that takes the classes accepted by {@code childFirst} from {@code dirs} before its parent. */
  static ClassLoader childFirst(List<Path> dirs, Predicate<String> childFirst) {
    URL[] urls = dirs.stream().map(EvolvedClasses::url).toArray(URL[]::new);
    return new URLClassLoader(urls, EvolvedClasses.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!childFirst.test(name)) {
          return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) {
            try {
              c = findClass(name);
            } catch (ClassNotFoundException e) {
              c = super.loadClass(name, false);
            }
          }
          if (resolve) {
            resolveClass(c);
          }
          return c;
        }
      }
    };
  }

  /** Where a class of the current build was loaded from (a classes directory or a jar). */
  static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  private static URL url(Path p) {
    try {
      return p.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
  }
}
