package io.argus.jobs.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Readers for the files under docker/ and deploy/ and the poms, for the tests that hold them to the build. */
final class DeploymentFiles {

  static final Path ROOT = Path.of("..");

  private DeploymentFiles() {}

  static String read(String relative) {
    try {
      return Files.readString(ROOT.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every YAML document of a file, with compose's merge keys ({@code <<: *anchor}) applied. */
  static List<Map<String, Object>> yaml(String relative) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(read(relative))) {
      if (doc != null) {
        docs.add(map(merged(doc)));
      }
    }
    return docs;
  }

  /** YAML 1.2 has no merge keys, so the loader keeps "<<" as a key: fold it into its map here. */
  private static Object merged(Object node) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      Object base = m.get("<<");
      if (base != null) {
        for (Object b : base instanceof List<?> l ? l : List.of(base)) {
          out.putAll(map(merged(b)));
        }
      }
      m.forEach((k, v) -> {
        if (!"<<".equals(k)) {
          out.put(String.valueOf(k), merged(v));
        }
      });
      return out;
    }
    if (node instanceof List<?> l) {
      return l.stream().map(DeploymentFiles::merged).toList();
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new AssertionError("expected a mapping, got " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    if (!(o instanceof List)) {
      throw new AssertionError("expected a list, got " + o);
    }
    return (List<Object>) o;
  }

  /** The value at a path of keys, e.g. {@code at(doc, "spec", "job", "jarURI")}. */
  static Object at(Map<String, Object> doc, String... keys) {
    Object o = doc;
    for (String k : keys) {
      o = o == null ? null : map(o).get(k);
    }
    return o;
  }

  static String str(Map<String, Object> doc, String... keys) {
    Object o = at(doc, keys);
    return o == null ? null : String.valueOf(o);
  }

  /** One Dockerfile instruction: the keyword and its arguments, continuation lines joined. */
  record Instruction(String keyword, String args) {}

  static List<Instruction> dockerfile(String relative) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : read(relative).split("\n")) {
      String t = line.strip();
      if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (t.startsWith("#")) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      current.append(t);
      String whole = current.toString().strip();
      int space = whole.indexOf(' ');
      out.add(new Instruction(whole.substring(0, space).toUpperCase(), whole.substring(space + 1).strip()));
      current.setLength(0);
    }
    return out;
  }

  static Document pom(String relative) {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve(relative).toFile());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + relative, e);
    }
  }

  static String xpath(Document doc, String expression) {
    try {
      return ((String) XPathFactory.newInstance().newXPath().evaluate(expression, doc, XPathConstants.STRING)).strip();
    } catch (Exception e) {
      throw new IllegalStateException(expression, e);
    }
  }

  static NodeList nodes(Document doc, String expression) {
    try {
      return (NodeList) XPathFactory.newInstance().newXPath().evaluate(expression, doc, XPathConstants.NODESET);
    } catch (Exception e) {
      throw new IllegalStateException(expression, e);
    }
  }

  /** A property of the parent pom, e.g. {@code flink.version}. */
  static String pomProperty(String name) {
    return xpath(pom("pom.xml"), "/project/properties/" + name);
  }

  /**
   * The Prometheus reporter's settings (metrics.reporter.*) of the CPU FlinkDeployment, as strings:
   * the MiniCluster metrics test runs with exactly these.
   */
  static Map<String, String> prometheusReporter() {
    Map<String, String> out = new java.util.TreeMap<>();
    map(at(yaml("deploy/kubernetes/flink-deployment.yaml").get(0), "spec", "flinkConfiguration")).forEach((k, v) -> {
      if (k.startsWith("metrics.reporter.")) {
        out.put(k, String.valueOf(v));
      }
    });
    return out;
  }
}
