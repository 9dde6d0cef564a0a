package io.argus.models.siammask;

import io.argus.models.ModelSpec;
import io.argus.models.onnx.OnnxImportException;
import io.argus.models.onnx.OnnxImporter;
import io.argus.models.onnx.OnnxModel;
import io.argus.models.onnx.proto.Onnx.ValueInfoProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Turns pysot's SiamMask (siammask_r50_l3) exported as three ONNX graphs into a model directory
 * with the {@code template}, {@code track} and {@code mask} signatures (README, "SiamMask", has
 * the export a user runs):
 *
 * <ul>
 *   <li>template: {@code z} (1 x 3 x 127 x 127, BGR 0..255) to {@code zf} (1 x C x 7 x 7), i.e.
 *       {@code neck(backbone(z)[-1])};
 *   <li>search: {@code zf} and {@code x} (1 x 3 x 255 x 255) to {@code cls}, {@code loc} (the
 *       DepthwiseRPN maps), {@code corr} (the mask head's correlation feature, 1 x 256 x 25 x 25)
 *       and {@code f0}, {@code f1}, {@code f2} (conv1, layer1, layer2 features of x);
 *   <li>refine: {@code p0}, {@code p1}, {@code p2}, {@code p3} (the windows at the chosen cell, as
 *       pysot's {@code Refine.forward} cuts them) to the mask logits (1 x 1 x 127 x 127 or
 *       1 x 16129).
 * </ul>
 *
 * The position-dependent cuts stay out of the ONNX graphs: they are per item, and the importer
 * keeps items independent; {@link RefineCrops} does them in the graph with one gather per map.
 */
public final class SiamMaskImport {

  static final Set<String> SEARCH_OUTPUTS = Set.of("cls", "loc", "corr", "f0", "f1", "f2");
  static final List<String> REFINE_INPUTS = List.of("p0", "p1", "p2", "p3");

  private SiamMaskImport() {}

  /**
   * Imports the three graphs and writes the model directory.
   *
   * @param name model name carried on every track update; null: from the template file name
   * @param hyper tracker hyper-parameters for the metadata; null: pysot's ({@link SiamMaskGraph#defaultHyper()})
   * @return the metadata written
   */
  public static ModelSpec export(Path templateFile, Path searchFile, Path refineFile, Path outDir, String name,
      Map<String, Double> hyper) {
    OnnxModel template = OnnxModel.read(templateFile);
    OnnxModel search = OnnxModel.read(searchFile);
    OnnxModel refine = OnnxModel.read(refineFile);
    String n = name != null ? name
        : templateFile.getFileName().toString().replaceFirst("\\.onnx$", "").replaceFirst("[_-]?template$", "");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      SiamMaskGraph net = SiamMaskGraph.build(Ops.create(g), new OnnxNetwork(template, search, refine));
      Map<String, String> provenance = new LinkedHashMap<>();
      provenance.put("importer", "argus import-onnx --family siammask (io.argus.models.siammask.SiamMaskImport)");
      provenance.put("template", templateFile.getFileName().toString());
      provenance.put("search", searchFile.getFileName().toString());
      provenance.put("refine", refineFile.getFileName().toString());
      provenance.put("networkInput", "BGR (as pysot: flipped inside the graph)");
      provenance.put("maskAttention", "as exported");
      ModelSpec spec = net.spec(n.isEmpty() ? "siammask" : n, hyper != null ? hyper : SiamMaskGraph.defaultHyper(),
          provenance);
      net.export(outDir, s, spec);
      return spec;
    }
  }

  /** The three ONNX graphs as a {@link SiamMaskGraph.Network}; one importer, so shared weights stay single. */
  static final class OnnxNetwork implements SiamMaskGraph.Network {
    private final OnnxModel template;
    private final OnnxModel search;
    private final OnnxModel refine;
    private final OnnxImporter importer = new OnnxImporter();

    OnnxNetwork(OnnxModel template, OnnxModel search, OnnxModel refine) {
      this.template = template;
      this.search = search;
      this.refine = refine;
      List<ValueInfoProto> tIn = template.feedInputs();
      if (tIn.size() != 1 || template.outputs().size() != 1) {
        throw new OnnxImportException(template.name() + ": the SiamMask template graph maps z to zf (one input, one"
            + " output), this one has " + tIn.size() + " inputs and " + template.outputs().size() + " outputs");
      }
      requireNames(search, names(search.feedInputs()), Set.of("zf", "x"), "inputs");
      requireNames(search, names(search.outputs()), SEARCH_OUTPUTS, "outputs");
      requireNames(refine, names(refine.feedInputs()), Set.copyOf(REFINE_INPUTS), "inputs");
      if (refine.outputs().size() != 1) {
        throw new OnnxImportException(refine.name() + ": the SiamMask refine graph gives one output (the mask logits),"
            + " this one gives " + names(refine.outputs()));
      }
    }

    @Override
    public Operand<TFloat32> template(Ops tf, Operand<TFloat32> exemplarBgr) {
      return importer.apply(tf, template, Map.of(template.feedInputs().get(0).getName(), exemplarBgr))
          .get(template.outputs().get(0).getName());
    }

    @Override
    public SiamMaskGraph.Search search(Ops tf, Operand<TFloat32> embedding, Operand<TFloat32> instanceBgr) {
      Map<String, Operand<TFloat32>> o = importer.apply(tf, search, Map.of("zf", embedding, "x", instanceBgr));
      return new SiamMaskGraph.Search(o.get("cls"), o.get("loc"), o.get("corr"), o.get("f0"), o.get("f1"), o.get("f2"));
    }

    @Override
    public Operand<TFloat32> refine(Ops tf, RefineCrops.Inputs p) {
      Operand<TFloat32> logits = importer.apply(tf, refine,
          Map.of("p0", p.p0(), "p1", p.p1(), "p2", p.p2(), "p3", p.p3())).values().iterator().next();
      long[] s = logits.shape().asArray();
      int m = SiamMaskGraph.MASK_SIZE;
      if (s.length == 2 && s[1] == (long) m * m) {
        return tf.reshape(logits, tf.constant(new int[] {-1, m, m, 1})); // pysot's out.view(-1, 127 * 127)
      }
      if (s.length == 4 && s[1] == m && s[2] == m && s[3] == 1) {
        return logits;
      }
      throw new OnnxImportException(refine.name() + ": the mask logits must be 1 x 1 x 127 x 127 or 1 x 16129 per item,"
          + " got (NHWC) " + logits.shape());
    }

    private static Set<String> names(List<ValueInfoProto> values) {
      Set<String> out = new TreeSet<>();
      values.forEach(v -> out.add(v.getName()));
      return out;
    }

    private static void requireNames(OnnxModel m, Set<String> got, Set<String> want, String what) {
      if (!got.equals(want)) {
        throw new OnnxImportException(m.name() + ": a SiamMask graph with " + what + " "
            + new TreeSet<>(want) + " was expected, this one has " + got + "; export it with those names (README,"
            + " 'SiamMask')");
      }
    }
  }
}
