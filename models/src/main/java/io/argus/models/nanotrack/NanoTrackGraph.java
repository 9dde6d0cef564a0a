package io.argus.models.nanotrack;

import io.argus.models.ModelSpec;
import io.argus.models.onnx.OnnxImportException;
import io.argus.models.onnx.OnnxImporter;
import io.argus.models.onnx.OnnxModel;
import io.argus.models.onnx.proto.Onnx.ValueInfoProto;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * NanoTrack's two signatures built from its ONNX backbone and head, batched over targets.
 *
 * <p>{@code template}: exemplar crops B x 127 x 127 x 3 (RGB 0..255) through the backbone give the
 * embedding B x e x e x C (8 x 8 x 48 for v1/v2, 8 x 8 x 96 for v3). {@code track}: search crops
 * B x 255 x 255 x 3 through the same backbone (shared weights), then the head correlates item b's
 * search features with embedding b and gives {@code cls} B x S x S x 2 (background / target
 * logits; softmax channel 1 is the target score) and {@code loc} B x S x S x 4 (distances from the
 * grid point to the box's left, top, right, bottom edges, in search-crop pixels), S = 16 for
 * v1/v2 and 15 for v3.
 *
 * @param exemplar template input, B x 127 x 127 x 3
 * @param embedding template output
 * @param embeddingIn track input: one embedding per search crop
 * @param instance track input, B x 255 x 255 x 3
 * @param cls track output, B x S x S x 2
 * @param loc track output, B x S x S x 4
 * @param embeddingShape per-target embedding [e, e, C]
 * @param scoreSize S
 */
public record NanoTrackGraph(
    Placeholder<TFloat32> exemplar,
    Operand<TFloat32> embedding,
    Placeholder<TFloat32> embeddingIn,
    Placeholder<TFloat32> instance,
    Operand<TFloat32> cls,
    Operand<TFloat32> loc,
    List<Integer> embeddingShape,
    int scoreSize) {

  public static final int EXEMPLAR_SIZE = 127;
  public static final int INSTANCE_SIZE = 255;
  public static final int STRIDE = 16;
  public static final String CLS = "cls";
  public static final String LOC = "loc";

  public static NanoTrackGraph build(Ops tf, OnnxModel backbone, OnnxModel head, NetworkInput networkInput) {
    List<ValueInfoProto> bbIn = backbone.feedInputs();
    if (bbIn.size() != 1 || backbone.outputs().size() != 1) {
      throw new OnnxImportException(backbone.name() + ": a NanoTrack backbone has one input and one output, this has "
          + bbIn.size() + " and " + backbone.outputs().size() + " (backbone and head swapped?)");
    }
    String bbInput = bbIn.get(0).getName();
    String bbOutput = backbone.outputs().get(0).getName();
    HeadInputs hi = HeadInputs.of(head);
    OnnxImporter importer = new OnnxImporter();

    Placeholder<TFloat32> exemplar = tf.withName(ModelSpec.EXEMPLAR).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, EXEMPLAR_SIZE, EXEMPLAR_SIZE, 3)));
    Operand<TFloat32> zf = importer.apply(tf.withSubScope("template"), backbone,
        Map.of(bbInput, toNetwork(tf, exemplar, networkInput))).get(bbOutput);
    Operand<TFloat32> embedding = tf.withName(ModelSpec.EMBEDDING).identity(zf);
    long[] es = embedding.shape().asArray();

    Placeholder<TFloat32> embeddingIn = tf.withName(ModelSpec.EMBEDDING + "_in").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, es[1], es[2], es[3])));
    Placeholder<TFloat32> instance = tf.withName(ModelSpec.INSTANCE).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, INSTANCE_SIZE, INSTANCE_SIZE, 3)));
    Operand<TFloat32> xf = importer.apply(tf.withSubScope("search"), backbone,
        Map.of(bbInput, toNetwork(tf, instance, networkInput))).get(bbOutput);
    Map<String, Operand<TFloat32>> out = importer.apply(tf.withSubScope("head"), head,
        Map.of(hi.template(), embeddingIn, hi.search(), xf));
    Operand<TFloat32> cls = null;
    Operand<TFloat32> loc = null;
    for (Map.Entry<String, Operand<TFloat32>> o : out.entrySet()) {
      long[] s = o.getValue().shape().asArray();
      if (s.length == 4 && s[3] == 2) {
        cls = tf.withName(CLS).identity(o.getValue());
      } else if (s.length == 4 && s[3] == 4) {
        loc = tf.withName(LOC).identity(o.getValue());
      }
    }
    if (cls == null || loc == null || out.size() != 2) {
      throw new OnnxImportException(head.name() + ": a NanoTrack head gives a 2-channel classification map and a 4-channel"
          + " box map; this one gives " + out.keySet());
    }
    long[] cs = cls.shape().asArray();
    if (cs[1] != cs[2] || !java.util.Arrays.equals(loc.shape().asArray(), new long[] {-1, cs[1], cs[2], 4})) {
      throw new OnnxImportException(head.name() + ": score maps must be square and equal in size, got "
          + cls.shape() + " and " + loc.shape());
    }
    return new NanoTrackGraph(exemplar, embedding, embeddingIn, instance, cls, loc,
        List.of((int) es[1], (int) es[2], (int) es[3]), (int) cs[1]);
  }

  private static Operand<TFloat32> toNetwork(Ops tf, Operand<TFloat32> rgb, NetworkInput order) {
    return order == NetworkInput.BGR ? tf.reverse(rgb, tf.constant(new int[] {3})) : rgb;
  }

  /** Which head input takes the template features: the smaller declared map, else OpenCV's names. */
  private record HeadInputs(String template, String search) {
    static HeadInputs of(OnnxModel head) {
      List<ValueInfoProto> in = head.feedInputs();
      if (in.size() != 2) {
        throw new OnnxImportException(head.name() + ": a NanoTrack head takes template and search features, this one takes "
            + in.stream().map(ValueInfoProto::getName).toList());
      }
      long[] a = OnnxModel.declaredShape(in.get(0));
      long[] b = OnnxModel.declaredShape(in.get(1));
      String n0 = in.get(0).getName();
      String n1 = in.get(1).getName();
      if (a != null && b != null && a.length == 4 && b.length == 4 && a[2] > 0 && b[2] > 0 && a[2] != b[2]) {
        return a[2] < b[2] ? new HeadInputs(n0, n1) : new HeadInputs(n1, n0);
      }
      if (n0.equals("input1") && n1.equals("input2")) {
        return new HeadInputs(n0, n1);
      }
      throw new OnnxImportException(head.name() + ": cannot tell template from search input among " + List.of(n0, n1));
    }
  }
}
