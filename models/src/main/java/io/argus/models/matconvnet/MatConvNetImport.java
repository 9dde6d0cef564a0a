package io.argus.models.matconvnet;

import io.argus.models.ModelSpec;
import io.argus.models.cfnet.TrackerSettings;
import io.argus.models.export.SavedModelExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Turns a MatConvNet Siamese tracker network (SiamFC's or CFNet's DagNN) into a model directory
 * of the product's contract: {@code template} = the exemplar branch up to the template input of
 * the network's {@code XCorr} (for CFNet: features, cosine window, correlation filter, margin crop,
 * so the embedding is the learned filter); {@code track} = the search branch, {@code XCorr}
 * and what follows it. Generic over the layers {@link DagGraph} knows; nothing depends on layer
 * names.
 *
 * <p>Inputs stay RGB 0..255 NHWC as the contract wants: MatConvNet images are RGB (imread) and
 * neither SiamFC's nor CFNet's tracker subtracts a mean ({@code p.subMean = false}).
 */
public final class MatConvNetImport {

  private MatConvNetImport() {}

  /**
   * How a network splits into the two signatures.
   *
   * @param net the network
   * @param exemplarInput network input the template branch starts from ({@code exemplar})
   * @param instanceInput network input the search branch starts from ({@code instance})
   * @param templateVar first input of XCorr: what {@code template} returns
   * @param responseVar what {@code track} returns as {@code response}
   * @param correlationFilter whether the template branch solves a correlation filter (CFNet)
   * @param responseNote why this response variable, for provenance
   */
  public record Plan(DagNet net, String exemplarInput, String instanceInput, String templateVar, String responseVar,
      boolean correlationFilter, String responseNote) {}

  /**
   * The graph endpoints.
   *
   * @param exemplar B x Z x Z x 3 input of {@code template}
   * @param template the template branch's output (the embedding), with its shape
   * @param embedding B x h x w x C input of {@code track}
   * @param instance B x X x X x 3 input of {@code track}
   * @param response B x S x S output of {@code track}
   * @param responseVar the response variable with its size and total stride
   */
  public record Endpoints(Placeholder<TFloat32> exemplar, DagGraph.Var template, Placeholder<TFloat32> embedding,
      Placeholder<TFloat32> instance, Operand<TFloat32> response, DagGraph.Var responseVar) {}

  /** Finds the XCorr join, the two branches' inputs, and the response. */
  public static Plan plan(DagNet net) {
    List<DagLayer> xcorrs = net.layersOfType("XCorr");
    if (xcorrs.size() != 1) {
      throw new IllegalArgumentException(net.source() + " has " + xcorrs.size() + " XCorr layers; a Siamese tracker"
          + " network joins its two branches in exactly one");
    }
    DagLayer xcorr = xcorrs.get(0);
    if (xcorr.inputs().size() != 2) {
      throw new IllegalArgumentException(net.source() + ": XCorr " + xcorr + " must take (template, search)");
    }
    String templateVar = xcorr.inputs().get(0);
    String searchVar = xcorr.inputs().get(1);
    Set<String> templateInputs = new LinkedHashSet<>();
    boolean cf = walk(net, templateVar, templateInputs);
    Set<String> searchInputs = new LinkedHashSet<>();
    walk(net, searchVar, searchInputs);
    if (templateInputs.size() != 1 || searchInputs.size() != 1 || templateInputs.equals(searchInputs)) {
      throw new IllegalArgumentException(net.source() + ": the template branch starts from " + templateInputs
          + " and the search branch from " + searchInputs + "; each must start from one image input of its own");
    }
    String response = xcorr.outputs().get(0);
    String note;
    if (cf) {
      note = "XCorr output '" + response + "' before the final adjustment, as CFNet's tracker reads it"
          + " (tracker.m, corrfilt: id_score = 'join_out')";
    } else {
      // SiamFC's tracker reads 'score': the XCorr output through its scalar adjustment layer(s)
      while (true) {
        List<DagLayer> next = net.consumers(response).stream()
            .filter(l -> l.inputs().size() == 1 && l.outputs().size() == 1 && DagGraph.SUPPORTED.contains(l.type()))
            .toList();
        if (next.size() != 1) {
          break;
        }
        response = next.get(0).outputs().get(0);
      }
      note = "'" + response + "': XCorr output through the layers that follow it, as SiamFC's tracker reads it"
          + " (tracker.m: id_score = 'score')";
    }
    return new Plan(net, templateInputs.iterator().next(), searchInputs.iterator().next(), templateVar, response, cf,
        note);
  }

  /** Collects the network inputs that {@code var} depends on; true when a CorrFilter lies on the way. */
  private static boolean walk(DagNet net, String var, Set<String> inputs) {
    boolean cf = false;
    Deque<String> todo = new ArrayDeque<>(List.of(var));
    Set<String> seen = new LinkedHashSet<>();
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (!seen.add(v)) {
        continue;
      }
      DagLayer l = net.producer(v);
      if (l == null) {
        inputs.add(v);
        continue;
      }
      cf |= l.type().equals("CorrFilter");
      todo.addAll(l.inputs());
    }
    return cf;
  }

  /** Builds both branches in one graph (weights as constants shared by the branches). */
  public static Endpoints build(Ops tf, Plan plan, int exemplarSize, int instanceSize) {
    DagGraph g = new DagGraph(tf, plan.net());
    Placeholder<TFloat32> exemplar = tf.withName(ModelSpec.EXEMPLAR).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, exemplarSize, exemplarSize, 3)));
    g.bind(plan.exemplarInput(), new DagGraph.Var(exemplar, exemplarSize, exemplarSize, 3, 1));
    DagGraph.Var t = g.get(plan.templateVar());
    DagGraph.Var template = new DagGraph.Var(tf.withName("template_embedding").identity(t.value()), t.height(),
        t.width(), t.channels(), t.stride());

    Placeholder<TFloat32> embedding = tf.withName(ModelSpec.EMBEDDING).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, t.height(), t.width(), t.channels())));
    // from here on the join reads the embedding fed to 'track', not the template computed above
    g.bind(plan.templateVar(), new DagGraph.Var(embedding, t.height(), t.width(), t.channels(), t.stride()));
    Placeholder<TFloat32> instance = tf.withName(ModelSpec.INSTANCE).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, instanceSize, instanceSize, 3)));
    g.bind(plan.instanceInput(), new DagGraph.Var(instance, instanceSize, instanceSize, 3, 1));
    DagGraph.Var r = g.get(plan.responseVar());
    if (r.channels() != 1 || r.height() != r.width()) {
      throw new IllegalArgumentException(plan.net().source() + ": response '" + plan.responseVar() + "' is "
          + r.shape() + "; the tracker needs a square single-channel map");
    }
    Operand<TFloat32> response = tf.withName("response").reshape(r.value(),
        tf.constant(new int[] {-1, r.height(), r.width()}));
    return new Endpoints(exemplar, template, embedding, instance, response, r);
  }

  /**
   * Imports {@code matFile} into {@code outDir}.
   *
   * @param name model name (null: the file name without .mat)
   * @param hyperOverrides hyper-parameters replacing the published ones (may be empty)
   * @param provenance extra provenance (command line, ...)
   */
  public static ModelSpec importNetwork(Path matFile, Path outDir, String name, Map<String, Double> hyperOverrides,
      Map<String, String> provenance) {
    DagNet net = DagNet.read(matFile);
    Plan plan = plan(net);
    String file = matFile.getFileName().toString();
    TrackerSettings settings = TrackerSettings.forNetwork(file, plan.correlationFilter());
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Endpoints e = build(tf, plan, settings.exemplarSize(), settings.instanceSize());
      Map<String, Double> hyper = new LinkedHashMap<>(settings.hyper());
      hyper.putAll(hyperOverrides);
      Map<String, String> prov = new LinkedHashMap<>();
      prov.put("source", file);
      prov.put("sourceSha256", sha256(matFile));
      prov.put("importer", "argus import-matconvnet (" + MatConvNetImport.class.getName() + ")");
      prov.put("template", "'" + plan.templateVar() + "' from '" + plan.exemplarInput() + "'"
          + (plan.correlationFilter() ? " (learned correlation filter)" : ""));
      prov.put("response", plan.responseNote());
      prov.put("hyper", settings.source() + (hyperOverrides.isEmpty() ? "" : "; overridden: " + hyperOverrides.keySet()));
      prov.put("input", "RGB 0..255, no mean subtracted (p.subMean = false in the MatConvNet trackers)");
      if (provenance != null) {
        prov.putAll(provenance);
      }
      int score = e.responseVar().height();
      ModelSpec spec = new ModelSpec(plan.correlationFilter() ? "cfnet" : "siamfc",
          name != null ? name : file.replaceFirst("(?i)\\.mat$", ""), settings.exemplarSize(), settings.instanceSize(),
          score, e.responseVar().stride(), e.template().shape(), Map.of("response", List.of(score, score)), hyper, prov);
      SavedModelExport.export(outDir, session, spec,
          SavedModelExport.signature(ModelSpec.TEMPLATE, Map.of(ModelSpec.EXEMPLAR, e.exemplar()),
              Map.of(ModelSpec.EMBEDDING, e.template().value())),
          SavedModelExport.signature(ModelSpec.TRACK,
              Map.of(ModelSpec.EMBEDDING, e.embedding(), ModelSpec.INSTANCE, e.instance()),
              Map.of("response", e.response())));
      return spec;
    }
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
