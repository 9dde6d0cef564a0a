package io.argus.models.siammask;

import io.argus.models.ModelSpec;
import io.argus.models.export.SavedModelExport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * SiamMask's three batched signatures, whatever built the network (seeded here by
 * {@link SiamMaskNet}, or imported from pysot's ONNX export by {@link SiamMaskImport}).
 *
 * <ul>
 *   <li>{@code template}: exemplar B x 127 x 127 x 3 (RGB 0..255) to the embedding B x 7 x 7 x C
 *       (adjusted layer3 features, centre 7 x 7 of 15 x 15).
 *   <li>{@code track}: embedding + instance B x 255 x 255 x 3 to {@code cls} B x 25 x 25 x 2k and
 *       {@code loc} B x 25 x 25 x 4k, pysot's DepthwiseRPN channels as they are (cls channel a:
 *       background of anchor a, k + a: target; loc channel j * k + a: dx, dy, dw, dh of anchor a).
 *   <li>{@code mask}: embedding + instance + {@code position} B x 2 int32 (row, column of the cell
 *       the tracker chose) to {@code mask} B x 127 x 127, the refined mask's probabilities (pysot's
 *       {@code mask_refine(pos).sigmoid()}), laid over the 127 x 127 square of the search crop
 *       centred on that cell.
 * </ul>
 *
 * <p>The refine needs the chosen cell, which only the tracker knows after {@code track}, so
 * {@code mask} is a second call that runs the search branch again (one more backbone pass): a
 * TensorFlow session cannot keep one call's intermediate features for the next. {@code search}
 * holds the search branch's tensors, for benchmarks that feed them directly.
 */
public record SiamMaskGraph(
    Placeholder<TFloat32> exemplar,
    Operand<TFloat32> embedding,
    Placeholder<TFloat32> embeddingIn,
    Placeholder<TFloat32> instance,
    Operand<TFloat32> cls,
    Operand<TFloat32> loc,
    Placeholder<TInt32> position,
    Operand<TFloat32> mask,
    Search search,
    List<Integer> embeddingShape,
    int scoreSize,
    int anchors) {

  public static final String FAMILY = "siammask";
  public static final int EXEMPLAR_SIZE = 127;
  public static final int INSTANCE_SIZE = 255;
  public static final int STRIDE = 8;
  public static final int MASK_SIZE = 127;
  public static final String CLS = "cls";
  public static final String LOC = "loc";

  /** What the search branch gives: RPN maps, the mask head's correlation feature, backbone features. All NHWC. */
  public record Search(Operand<TFloat32> cls, Operand<TFloat32> loc, Operand<TFloat32> corr,
      Operand<TFloat32> f0, Operand<TFloat32> f1, Operand<TFloat32> f2) {}

  /** A SiamMask network's three parts; images come in as the network wants them (BGR 0..255, as pysot). */
  public interface Network {
    /** Template branch: B x 127 x 127 x 3 BGR to the embedding B x 7 x 7 x C. */
    Operand<TFloat32> template(Ops tf, Operand<TFloat32> exemplarBgr);

    /** Search branch: embedding + B x 255 x 255 x 3 BGR to the RPN maps and the refine's features. */
    Search search(Ops tf, Operand<TFloat32> embedding, Operand<TFloat32> instanceBgr);

    /** Refine module on the crops at the chosen cell: mask logits B x 127 x 127 x 1. */
    Operand<TFloat32> refine(Ops tf, RefineCrops.Inputs crops);
  }

  /** Wires the network into the three signatures' endpoints; RGB inputs are flipped to BGR in the graph. */
  public static SiamMaskGraph build(Ops tf, Network net) {
    Placeholder<TFloat32> exemplar = tf.withName(ModelSpec.EXEMPLAR).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, EXEMPLAR_SIZE, EXEMPLAR_SIZE, 3)));
    Operand<TFloat32> zf = net.template(tf.withSubScope("template"), bgr(tf, exemplar));
    long[] es = zf.shape().asArray();
    if (es.length != 4 || es[1] != 7 || es[2] != 7) {
      throw new IllegalArgumentException("the template branch must give B x 7 x 7 x C (pysot's centre crop of the"
          + " adjusted layer3 features), got " + zf.shape());
    }
    Operand<TFloat32> embedding = tf.withName(ModelSpec.EMBEDDING).identity(zf);
    Placeholder<TFloat32> embeddingIn = tf.withName(ModelSpec.EMBEDDING + "_in").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, es[1], es[2], es[3])));
    Placeholder<TFloat32> instance = tf.withName(ModelSpec.INSTANCE).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, INSTANCE_SIZE, INSTANCE_SIZE, 3)));
    Search s = net.search(tf.withSubScope("search"), embeddingIn, bgr(tf, instance));
    long[] cs = s.cls().shape().asArray();
    long[] ls = s.loc().shape().asArray();
    long[] rs = s.corr().shape().asArray();
    if (cs.length != 4 || cs[1] != cs[2] || cs[3] % 2 != 0 || ls.length != 4 || ls[1] != cs[1] || ls[2] != cs[2]
        || ls[3] != 2 * cs[3] || rs.length != 4 || rs[1] != cs[1] || rs[2] != cs[2]) {
      throw new IllegalArgumentException("the search branch must give cls S x S x 2k, loc S x S x 4k and the mask"
          + " correlation feature S x S x C per item, got " + s.cls().shape() + ", " + s.loc().shape() + ", "
          + s.corr().shape());
    }
    Operand<TFloat32> cls = tf.withName(CLS).identity(s.cls());
    Operand<TFloat32> loc = tf.withName(LOC).identity(s.loc());
    Placeholder<TInt32> position = tf.withName(ModelSpec.POSITION).placeholder(TInt32.class,
        Placeholder.shape(Shape.of(-1, 2)));
    RefineCrops.Inputs crops = RefineCrops.at(tf.withSubScope("crops"), s.f0(), s.f1(), s.f2(), s.corr(), position);
    Operand<TFloat32> logits = net.refine(tf.withSubScope("refine"), crops);
    if (!Shape.of(-1, MASK_SIZE, MASK_SIZE, 1).isCompatibleWith(logits.shape())) {
      throw new IllegalArgumentException("the refine module must give B x 127 x 127 x 1 logits, got " + logits.shape());
    }
    Operand<TFloat32> mask = tf.withName(ModelSpec.MASK).reshape(tf.math.sigmoid(logits),
        tf.constant(new int[] {-1, MASK_SIZE, MASK_SIZE}));
    return new SiamMaskGraph(exemplar, embedding, embeddingIn, instance, cls, loc, position, mask, s,
        List.of((int) es[1], (int) es[2], (int) es[3]), (int) cs[1], (int) cs[3] / 2);
  }

  private static Operand<TFloat32> bgr(Ops tf, Operand<TFloat32> rgb) {
    return tf.reverse(rgb, tf.constant(new int[] {3}));
  }

  /**
   * pysot's siammask_r50_l3 tracking parameters (experiments/siammask_r50_l3/config.yaml):
   * penalty k 0.10, window influence 0.41, size learning rate 0.32, context 0.5, anchors of
   * ratios 0.33, 0.5, 1, 2, 3 at scale 8 on stride 8, mask threshold 0.15.
   */
  public static Map<String, Double> defaultHyper() {
    Map<String, Double> h = new LinkedHashMap<>();
    h.put("contextAmount", 0.5);
    h.put("penaltyK", 0.10);
    h.put("windowInfluence", 0.41);
    h.put("lr", 0.32);
    h.put("anchorScale", 8.0);
    h.put("maskThreshold", 0.15);
    return h;
  }

  /** The metadata for this graph: sizes, output shapes, pysot's hyper-parameters. */
  public ModelSpec spec(String name, Map<String, Double> hyper, Map<String, String> provenance) {
    Map<String, List<Integer>> outputs = new LinkedHashMap<>();
    outputs.put(CLS, List.of(scoreSize, scoreSize, 2 * anchors));
    outputs.put(LOC, List.of(scoreSize, scoreSize, 4 * anchors));
    Map<String, String> prov = new LinkedHashMap<>(provenance);
    prov.put("outputs", "cls: pysot DepthwiseRPN logits, channel a background / k + a target of anchor a;"
        + " loc: channel j * k + a = (dx, dy, dw, dh)[j] of anchor a; signature '" + ModelSpec.MASK + "': "
        + ModelSpec.EMBEDDING + " + " + ModelSpec.INSTANCE + " + " + ModelSpec.POSITION + " (B x 2 int32: row, column"
        + " of the chosen cell) -> " + ModelSpec.MASK + " B x 127 x 127 probabilities over the exemplar-sized square"
        + " of the search crop centred on that cell");
    return new ModelSpec(FAMILY, name, EXEMPLAR_SIZE, INSTANCE_SIZE, scoreSize, STRIDE, embeddingShape, outputs,
        hyper, prov);
  }

  /** Writes the model directory: SavedModel with template, track and mask signatures, plus the metadata. */
  public void export(Path dir, Session session, ModelSpec spec) {
    SavedModelExport.export(dir, session, spec,
        SavedModelExport.signature(ModelSpec.TEMPLATE, Map.of(ModelSpec.EXEMPLAR, exemplar),
            Map.of(ModelSpec.EMBEDDING, embedding)),
        SavedModelExport.signature(ModelSpec.TRACK,
            Map.of(ModelSpec.EMBEDDING, embeddingIn, ModelSpec.INSTANCE, instance),
            Map.of(CLS, cls, LOC, loc)),
        SavedModelExport.signature(ModelSpec.MASK,
            Map.of(ModelSpec.EMBEDDING, embeddingIn, ModelSpec.INSTANCE, instance, ModelSpec.POSITION, position),
            Map.of(ModelSpec.MASK, mask)));
  }
}
