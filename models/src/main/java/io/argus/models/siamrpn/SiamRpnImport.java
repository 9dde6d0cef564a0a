package io.argus.models.siamrpn;

import io.argus.models.ModelSpec;
import io.argus.models.nanotrack.NetworkInput;
import io.argus.models.onnx.OnnxImportException;
import io.argus.models.onnx.OnnxImporter;
import io.argus.models.onnx.OnnxModel;
import io.argus.models.onnx.proto.Onnx.ValueInfoProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Turns pysot's SiamRPN exported as two ONNX graphs into a model directory. The template graph
 * maps the exemplar z (1 x 3 x 127 x 127, BGR 0..255) to the backbone features zf; the search graph
 * maps zf and the search crop x (1 x 3 x 287 x 287) to cls (1 x 2k x S x S) and loc (1 x 4k x S x S),
 * i.e. {@code model.backbone(z)} and {@code model.rpn_head(zf, model.backbone(x))} (README, "SiamRPN",
 * has the export snippet). Both are traced at batch 1; the importer batches them over targets.
 */
public final class SiamRpnImport {

  /**
   * @param name model name carried on every track update; null: from the template file name
   * @param networkInput channel order the network was trained on (pysot: BGR)
   * @param hyper tracker hyper-parameters for the metadata (pysot alex: {@link SiamRpnNet#defaultHyper()})
   */
  public record Options(String name, NetworkInput networkInput, Map<String, Double> hyper) {
    public static Options defaults() {
      return new Options(null, NetworkInput.BGR, SiamRpnNet.defaultHyper());
    }
  }

  private SiamRpnImport() {}

  /** Imports both graphs and writes the model directory; returns the metadata written. */
  public static ModelSpec export(Path templateFile, Path searchFile, Path outDir, Options options) {
    OnnxModel template = OnnxModel.read(templateFile);
    OnnxModel search = OnnxModel.read(searchFile);
    String name = options.name() != null ? options.name()
        : templateFile.getFileName().toString().replaceFirst("\\.onnx$", "").replaceFirst("[_-]?template$", "");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Built b = build(Ops.create(g), template, search, options.networkInput());
      Map<String, String> provenance = new LinkedHashMap<>();
      provenance.put("importer", "argus import-onnx --family siamrpn (io.argus.models.siamrpn.SiamRpnImport)");
      provenance.put("template", templateFile.getFileName().toString());
      provenance.put("search", searchFile.getFileName().toString());
      provenance.put("networkInput", options.networkInput().name()
          + (options.networkInput() == NetworkInput.BGR ? " (as pysot: flipped inside the graph)" : ""));
      provenance.put("embedding", "backbone template features zf (the search graph runs the head's conv_kernel)");
      provenance.put("outputs", "cls: channel a background, k + a foreground logit of anchor a; loc: channel"
          + " d k + a delta d (dx, dy, dw, dh) of anchor a (pysot's order)");
      Map<String, List<Integer>> outputs = new LinkedHashMap<>();
      outputs.put(SiamRpnNet.CLS, List.of(b.scoreSize, b.scoreSize, 2 * b.anchors));
      outputs.put(SiamRpnNet.LOC, List.of(b.scoreSize, b.scoreSize, 4 * b.anchors));
      ModelSpec spec = new ModelSpec("siamrpn", name.isEmpty() ? "siamrpn" : name, b.exemplarSize, b.instanceSize,
          b.scoreSize, SiamRpnNet.STRIDE, b.embeddingShape, outputs, options.hyper(), provenance);
      SiamRpnNet.export(outDir, s, spec, b.endpoints);
      return spec;
    }
  }

  /** The graph and the geometry read from it. */
  record Built(SiamRpnNet.Endpoints endpoints, int exemplarSize, int instanceSize, int scoreSize, int anchors,
      List<Integer> embeddingShape) {}

  static Built build(Ops tf, OnnxModel template, OnnxModel search, NetworkInput networkInput) {
    List<ValueInfoProto> tIn = template.feedInputs();
    if (tIn.size() != 1 || template.outputs().size() != 1) {
      throw new OnnxImportException(template.name() + ": the SiamRPN template graph maps z to zf (one input, one"
          + " output), this one has " + tIn.size() + " and " + template.outputs().size() + " (template and search swapped?)");
    }
    int exemplarSize = side(template, tIn.get(0), SiamRpnNet.EXEMPLAR_SIZE);
    SearchInputs si = SearchInputs.of(search);
    int instanceSize = side(search, si.x(), SiamRpnNet.INSTANCE_SIZE);
    OnnxImporter importer = new OnnxImporter();

    Placeholder<TFloat32> exemplar = tf.withName(ModelSpec.EXEMPLAR).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, exemplarSize, exemplarSize, 3)));
    Operand<TFloat32> zf = importer.apply(tf.withSubScope("template"), template,
        Map.of(tIn.get(0).getName(), toNetwork(tf, exemplar, networkInput))).get(template.outputs().get(0).getName());
    Operand<TFloat32> embedding = tf.withName(ModelSpec.EMBEDDING).identity(zf);
    long[] es = embedding.shape().asArray();
    if (es.length != 4 || es[1] < 1 || es[2] < 1 || es[3] < 1) {
      throw new OnnxImportException(template.name() + ": zf must be a 4-D feature map with a static shape, got "
          + embedding.shape());
    }
    Placeholder<TFloat32> embeddingIn = tf.withName(ModelSpec.EMBEDDING + "_in").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, es[1], es[2], es[3])));
    Placeholder<TFloat32> instance = tf.withName(ModelSpec.INSTANCE).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, instanceSize, instanceSize, 3)));
    Map<String, Operand<TFloat32>> out = importer.apply(tf.withSubScope("search"), search,
        Map.of(si.zf().getName(), embeddingIn, si.x().getName(), toNetwork(tf, instance, networkInput)));
    if (out.size() != 2) {
      throw new OnnxImportException(search.name() + ": the SiamRPN search graph gives cls and loc, this one gives "
          + out.keySet());
    }
    List<Operand<TFloat32>> o = List.copyOf(out.values());
    long[] a = o.get(0).shape().asArray();
    long[] b = o.get(1).shape().asArray();
    // cls has 2k channels, loc 4k: tell them apart by their channels, whatever their names
    boolean firstIsCls = a.length == 4 && b.length == 4 && 2 * a[3] == b[3];
    boolean secondIsCls = a.length == 4 && b.length == 4 && 2 * b[3] == a[3];
    if (!firstIsCls && !secondIsCls || a[1] != a[2] || !java.util.Arrays.equals(new long[] {a[1], a[2]},
        new long[] {b[1], b[2]})) {
      throw new OnnxImportException(search.name() + ": expected cls (2k channels) and loc (4k channels) score maps of"
          + " one square size, got " + out.keySet() + " of shapes (NHWC) " + o.get(0).shape() + " and " + o.get(1).shape());
    }
    Operand<TFloat32> cls = tf.withName(SiamRpnNet.CLS).identity(firstIsCls ? o.get(0) : o.get(1));
    Operand<TFloat32> loc = tf.withName(SiamRpnNet.LOC).identity(firstIsCls ? o.get(1) : o.get(0));
    int anchors = (int) (cls.shape().asArray()[3] / 2);
    return new Built(new SiamRpnNet.Endpoints(exemplar, embedding, embeddingIn, instance, cls, loc), exemplarSize,
        instanceSize, (int) a[1], anchors, List.of((int) es[1], (int) es[2], (int) es[3]));
  }

  private static Operand<TFloat32> toNetwork(Ops tf, Operand<TFloat32> rgb, NetworkInput order) {
    return order == NetworkInput.BGR ? tf.reverse(rgb, tf.constant(new int[] {3})) : rgb;
  }

  /** The square side the graph declares for an image input (NCHW), or pysot's default where it declares none. */
  private static int side(OnnxModel m, ValueInfoProto input, int fallback) {
    long[] d = OnnxModel.declaredShape(input);
    if (d == null || d.length != 4 || d[2] <= 0) {
      return fallback;
    }
    if (d[1] > 0 && d[1] != 3 || d[2] != d[3]) {
      throw new OnnxImportException(m.name() + ": input '" + input.getName() + "' must be a square 3-channel image"
          + " (N x 3 x S x S), declared " + java.util.Arrays.toString(d));
    }
    return (int) d[2];
  }

  /** Which search-graph input is the image x (3 channels) and which the template features zf. */
  private record SearchInputs(ValueInfoProto zf, ValueInfoProto x) {
    static SearchInputs of(OnnxModel search) {
      List<ValueInfoProto> in = search.feedInputs();
      if (in.size() != 2) {
        throw new OnnxImportException(search.name() + ": the SiamRPN search graph takes zf and x, this one takes "
            + in.stream().map(ValueInfoProto::getName).toList() + " (template and search swapped?)");
      }
      long[] a = OnnxModel.declaredShape(in.get(0));
      long[] b = OnnxModel.declaredShape(in.get(1));
      boolean aImage = a != null && a.length == 4 && a[1] == 3;
      boolean bImage = b != null && b.length == 4 && b[1] == 3;
      if (aImage != bImage) {
        return aImage ? new SearchInputs(in.get(1), in.get(0)) : new SearchInputs(in.get(0), in.get(1));
      }
      String n0 = in.get(0).getName();
      String n1 = in.get(1).getName();
      if (n0.equals("zf") && n1.equals("x")) {
        return new SearchInputs(in.get(0), in.get(1));
      }
      if (n0.equals("x") && n1.equals("zf")) {
        return new SearchInputs(in.get(1), in.get(0));
      }
      throw new OnnxImportException(search.name() + ": cannot tell the image x (N x 3 x H x W) from the template"
          + " features zf among " + List.of(n0, n1) + "; name them 'zf' and 'x' as in the README's export snippet");
    }
  }
}
