package io.argus.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A result table of one benchmark: printed aligned for people, written as CSV and JSON for
 * tools, with the machine, the load average when it was measured and the command that made it.
 */
public final class BenchTable {

  private final String title;
  private final List<String> columns;
  private final List<List<Object>> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public BenchTable(String title, String... columns) {
    this.title = title;
    this.columns = List.of(columns);
  }

  /** Adds a row; doubles print with the precision their size needs, everything else as text. */
  public void row(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException("row of " + values.length + " values for " + columns.size() + " columns " + columns);
    }
    rows.add(List.of(values));
  }

  public void note(String note) {
    notes.add(note);
  }

  public List<List<Object>> rows() {
    return rows;
  }

  public String format() {
    List<String[]> cells = new ArrayList<>();
    cells.add(columns.toArray(String[]::new));
    for (List<Object> r : rows) {
      cells.add(r.stream().map(BenchTable::text).toArray(String[]::new));
    }
    int[] width = new int[columns.size()];
    for (String[] c : cells) {
      for (int i = 0; i < c.length; i++) {
        width[i] = Math.max(width[i], c[i].length());
      }
    }
    StringBuilder s = new StringBuilder(title).append('\n');
    for (int r = 0; r < cells.size(); r++) {
      s.append("| ");
      for (int i = 0; i < width.length; i++) {
        String c = cells.get(r)[i];
        boolean number = r > 0 && i > 0 && rows.get(r - 1).get(i) instanceof Number;
        s.append(pad(c, width[i], number)).append(" |").append(i + 1 < width.length ? " " : "");
      }
      s.append('\n');
      if (r == 0) {
        s.append('|');
        for (int w : width) {
          s.append("-".repeat(w + 2)).append('|');
        }
        s.append('\n');
      }
    }
    for (String n : notes) {
      s.append(n).append('\n');
    }
    return s.toString();
  }

  private static String pad(String s, int w, boolean right) {
    String fill = " ".repeat(Math.max(0, w - s.length()));
    return right ? fill + s : s + fill;
  }

  static String text(Object v) {
    if (v instanceof Double d) {
      double a = Math.abs(d);
      if (Double.isNaN(d)) {
        return "-";
      }
      return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", d);
    }
    return String.valueOf(v);
  }

  /**
   * Writes {@code <base>.csv} and {@code <base>.json} into dir: the JSON holds the title,
   * machine, load average, command, notes and the rows as objects.
   */
  public void write(Path dir, String base, String command) {
    try {
      Files.createDirectories(dir);
      StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
      for (List<Object> r : rows) {
        csv.append(String.join(",", r.stream().map(v -> v instanceof Double d ? Double.toString(d) : csvText(v)).toList()))
            .append('\n');
      }
      Files.writeString(dir.resolve(base + ".csv"), csv);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("title", title);
      json.put("machine", BenchMachine.describe());
      json.put("loadAverage", BenchMachine.loadAverage());
      json.put("command", command);
      json.put("notes", notes);
      List<Map<String, Object>> out = new ArrayList<>();
      for (List<Object> r : rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          Object v = r.get(i);
          m.put(columns.get(i), v instanceof Double d && !Double.isFinite(d) ? null : v);
        }
        out.add(m);
      }
      json.put("rows", out);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(base + ".json").toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write benchmark results to " + dir, e);
    }
  }

  private static String csvText(Object v) {
    String s = String.valueOf(v);
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
