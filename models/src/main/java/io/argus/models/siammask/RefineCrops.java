package io.argus.models.siammask;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The refine module's inputs at the response-map cell the tracker chose (pysot's
 * {@code Refine.forward}): windows of the search branch's backbone features around that cell and
 * the mask head's correlation feature at it. Per item, each its own cell, batched with one
 * {@code GatherNd} per map; zero padding as pysot's {@code F.pad}.
 *
 * <p>Geometry for a 255 search crop with a 25 x 25 response map: conv1 features (125 x 125)
 * padded 16 give a 61 x 61 window at 4 x cell; layer1 (63 x 63) padded 8 a 31 x 31 window at
 * 2 x cell; layer2 (31 x 31) padded 4 a 15 x 15 window at the cell.
 */
public final class RefineCrops {

  /** Window side, padding and step per cell for conv1, layer1, layer2 features. */
  static final int[] SIDE = {61, 31, 15};
  static final int[] PAD = {16, 8, 4};
  static final int[] STEP = {4, 2, 1};
  /** Feature map sides these windows are made for (a 255 search crop). */
  static final int[] MAP = {125, 63, 31};

  private RefineCrops() {}

  /**
   * The four refine inputs, NHWC: p0 B x 61 x 61 x C0, p1 B x 31 x 31 x C1, p2 B x 15 x 15 x C2,
   * p3 B x 1 x 1 x C (the correlation feature at the cell).
   */
  public record Inputs(Operand<TFloat32> p0, Operand<TFloat32> p1, Operand<TFloat32> p2, Operand<TFloat32> p3) {}

  /**
   * @param f0 conv1 features after ReLU, B x 125 x 125 x C0
   * @param f1 layer1 features, B x 63 x 63 x C1
   * @param f2 layer2 features, B x 31 x 31 x C2
   * @param corr mask head correlation feature, B x S x S x C
   * @param position B x 2 int32, (row, column) of the chosen cell in the S x S response map
   */
  public static Inputs at(Ops tf, Operand<TFloat32> f0, Operand<TFloat32> f1, Operand<TFloat32> f2,
      Operand<TFloat32> corr, Operand<TInt32> position) {
    List<Operand<TFloat32>> maps = List.of(f0, f1, f2);
    for (int i = 0; i < 3; i++) {
      long[] s = maps.get(i).shape().asArray();
      if (s.length != 4 || s[1] != MAP[i] || s[2] != MAP[i]) {
        throw new IllegalArgumentException("refine input f" + i + " must be B x " + MAP[i] + " x " + MAP[i]
            + " x C (backbone features of a 255 search crop), got " + maps.get(i).shape());
      }
    }
    Operand<TInt32> batchIndex = tf.range(tf.constant(0), tf.gather(tf.shape(position), tf.constant(0), tf.constant(0)),
        tf.constant(1));
    Operand<TInt32> row = tf.gather(position, tf.constant(0), tf.constant(1));
    Operand<TInt32> col = tf.gather(position, tf.constant(1), tf.constant(1));
    Operand<TFloat32> p0 = window(tf, f0, batchIndex, row, col, 0);
    Operand<TFloat32> p1 = window(tf, f1, batchIndex, row, col, 1);
    Operand<TFloat32> p2 = window(tf, f2, batchIndex, row, col, 2);
    long c = corr.shape().get(3);
    Operand<TFloat32> p3 = tf.reshape(tf.gatherNd(corr, tf.stack(List.of(batchIndex, row, col), Stack.axis(1L))),
        tf.constant(new long[] {-1, 1, 1, c}));
    return new Inputs(p0, p1, p2, p3);
  }

  /** Zero-pad the map, then take each item's side x side window at step x its cell. */
  private static Operand<TFloat32> window(Ops tf, Operand<TFloat32> map, Operand<TInt32> batchIndex,
      Operand<TInt32> row, Operand<TInt32> col, int level) {
    int pad = PAD[level];
    int side = SIDE[level];
    Operand<TFloat32> padded = tf.pad(map, tf.constant(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}),
        tf.constant(0f));
    Operand<TInt32> offsets = tf.range(tf.constant(0), tf.constant(side), tf.constant(1));
    Operand<TInt32> step = tf.constant(STEP[level]);
    // B x side: the padded map's rows (columns) of each item's window
    Operand<TInt32> rows = tf.math.add(tf.expandDims(tf.math.mul(row, step), tf.constant(1)), offsets);
    Operand<TInt32> cols = tf.math.add(tf.expandDims(tf.math.mul(col, step), tf.constant(1)), offsets);
    Operand<TInt32> zeros = tf.zerosLike(tf.math.add(tf.expandDims(rows, tf.constant(2)),
        tf.expandDims(cols, tf.constant(1))));
    Operand<TInt32> r = tf.math.add(tf.expandDims(rows, tf.constant(2)), zeros);
    Operand<TInt32> q = tf.math.add(tf.expandDims(cols, tf.constant(1)), zeros);
    Operand<TInt32> b = tf.math.add(tf.reshape(batchIndex, tf.constant(new int[] {-1, 1, 1})), zeros);
    return tf.gatherNd(padded, tf.stack(List.of(b, r, q), Stack.axis(3L)));
  }
}
