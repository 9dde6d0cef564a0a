package io.argus.models.siamfc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Split;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * SiamFC (Bertinetto et al., "Fully-Convolutional Siamese Networks for Object Tracking", 2016)
 * as TensorFlow ops: the AlexNet backbone shared by exemplar and search branches, and the
 * per-target cross-correlation that turns a template embedding and search features into a
 * response map. NHWC throughout; inputs are RGB 0..255 floats, unnormalised, as in
 * siamfc-pytorch.
 */
public final class SiamFcNet {

  public static final int EXEMPLAR_SIZE = 127;
  public static final int INSTANCE_SIZE = 255;
  public static final int TOTAL_STRIDE = 8;
  /** siamfc-pytorch's out_scale: keeps the logits of the balanced loss in a sane range at init. */
  public static final float OUT_SCALE = 0.001f;
  public static final float BN_EPSILON = 1e-5f;

  private SiamFcNet() {}

  /** How batch norm runs in a graph. */
  public enum BatchNorm {
    /** Normalise by the batch's own statistics (training graph); exposes them via {@link BatchStats}. */
    TRAINING,
    /** Normalise by the stored population statistics (unfolded inference graph, for checks). */
    INFERENCE,
    /** Weights already folded ({@link SiamFcWeights#foldBatchNorm}): convolution + bias only. */
    FOLDED
  }

  /** Where a layer's parameters come from: variables in training, constants in an inference graph. */
  @FunctionalInterface
  public interface Params {
    Operand<TFloat32> get(String name);
  }

  /** One batch-norm layer's batch statistics in a TRAINING graph, per channel. */
  public record BatchStats(String layer, Output<TFloat32> mean, Output<TFloat32> variance) {}

  /** Weights as graph constants, each created once however many branches use it. */
  public static Params constants(Ops tf, SiamFcWeights weights) {
    Map<String, Operand<TFloat32>> cache = new HashMap<>();
    return name -> cache.computeIfAbsent(name, n -> {
      SiamFcWeights.Tensor t = weights.require(n);
      return tf.withName(n.replace('/', '_')).constant(Shape.of(t.shape()), DataBuffers.of(t.values(), true, false));
    });
  }

  /** Side of the backbone's output for a square input of the given side (127 -> 6, 255 -> 22). */
  public static int featureSide(BackboneConfig config, int inputSide) {
    int s = inputSide;
    for (Layer l : Layer.of(config)) {
      s = l.outputSide(s);
    }
    return s;
  }

  /** Side of the response map: search features correlated with the template embedding (17). */
  public static int scoreSize(BackboneConfig config) {
    return featureSide(config, INSTANCE_SIZE) - featureSide(config, EXEMPLAR_SIZE) + 1;
  }

  /**
   * The backbone on a batch of B x S x S x 3 images. In TRAINING mode each batch-norm layer's
   * batch statistics are appended to {@code statsSink} (may be null otherwise).
   */
  public static Operand<TFloat32> backbone(
      Ops tf, Operand<TFloat32> images, BackboneConfig config, Params params, BatchNorm mode, List<BatchStats> statsSink) {
    Operand<TFloat32> x = images;
    List<Layer> layers = Layer.of(config);
    for (Layer l : layers) {
      x = convolution(tf, x, params.get(l.weights()), l);
      if (l.batchNorm()) {
        x = switch (mode) {
          case FOLDED -> tf.nn.biasAdd(x, params.get(l.bias()));
          case INFERENCE -> tf.nn.fusedBatchNorm(x, params.get(l.gamma()), params.get(l.beta()),
              params.get(l.mean()), params.get(l.variance()),
              FusedBatchNorm.epsilon(BN_EPSILON), FusedBatchNorm.isTraining(false)).y();
          case TRAINING -> {
            Operand<TFloat32> empty = tf.constant(new float[0]);
            FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, params.get(l.gamma()),
                params.get(l.beta()), empty, empty, FusedBatchNorm.epsilon(BN_EPSILON),
                FusedBatchNorm.isTraining(true));
            if (statsSink != null) {
              statsSink.add(new BatchStats(l.name(), bn.batchMean(), bn.batchVariance()));
            }
            yield bn.y();
          }
        };
        x = tf.nn.relu(x);
      } else {
        x = tf.nn.biasAdd(x, params.get(l.bias()));
      }
      if (l.pool()) {
        x = tf.nn.maxPool(x, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
      }
    }
    return x;
  }

  /**
   * A VALID convolution; a grouped one as two convolutions on the channel halves + concat,
   * because TensorFlow's CPU kernels fail on fused grouped convolutions and have no gradient
   * for them (STACK.md).
   */
  private static Operand<TFloat32> convolution(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, Layer l) {
    List<Long> strides = List.of(1L, (long) l.stride(), (long) l.stride(), 1L);
    if (l.groups() == 1) {
      return tf.nn.conv2d(x, w, strides, "VALID");
    }
    Split<TFloat32> xs = tf.split(tf.constant(3), x, (long) l.groups());
    Split<TFloat32> ws = tf.split(tf.constant(3), w, (long) l.groups());
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (int g = 0; g < l.groups(); g++) {
      parts.add(tf.nn.conv2d(xs.output().get(g), ws.output().get(g), strides, "VALID"));
    }
    return tf.concat(parts, tf.constant(3));
  }

  /**
   * Per-target cross-correlation, batched: target b's embedding (B x h x w x C) slides over
   * target b's search features (B x H x W x C) only, giving B x (H-h+1) x (W-w+1) scaled by
   * {@link #OUT_SCALE}. Done as one depthwise convolution over the B*C channels of the search
   * features laid side by side, then a sum over each target's C channels.
   */
  public static Operand<TFloat32> crossCorrelation(
      Ops tf, Operand<TFloat32> embedding, Operand<TFloat32> search, int embeddingSide, int searchSide, int channels) {
    int s = searchSide - embeddingSide + 1;
    Operand<TFloat32> x = tf.reshape(tf.linalg.transpose(search, tf.constant(new int[] {1, 2, 0, 3})),
        tf.constant(new int[] {1, searchSide, searchSide, -1}));
    Operand<TFloat32> z = tf.reshape(tf.linalg.transpose(embedding, tf.constant(new int[] {1, 2, 0, 3})),
        tf.constant(new int[] {embeddingSide, embeddingSide, -1, 1}));
    Operand<TFloat32> corr = tf.nn.depthwiseConv2dNative(x, z, List.of(1L, 1L, 1L, 1L), "VALID");
    Operand<TFloat32> perTarget = tf.sum(tf.reshape(corr, tf.constant(new int[] {s, s, -1, channels})),
        tf.constant(3));
    return tf.math.mul(tf.linalg.transpose(perTarget, tf.constant(new int[] {2, 0, 1})), tf.constant(OUT_SCALE));
  }

  /**
   * The two signatures' endpoints of an inference graph.
   *
   * @param exemplar input B x 127 x 127 x 3
   * @param templateEmbedding output of the template branch, B x h x h x C
   * @param embedding input of the track branch, B x h x h x C
   * @param instance input B x 255 x 255 x 3
   * @param response output B x 17 x 17
   */
  public record Endpoints(
      Placeholder<TFloat32> exemplar,
      Operand<TFloat32> templateEmbedding,
      Placeholder<TFloat32> embedding,
      Placeholder<TFloat32> instance,
      Operand<TFloat32> response) {}

  /**
   * Builds the inference graph: weights as constants, batch norm folded (mode FOLDED, weights in
   * inference form) or by stored statistics (mode INFERENCE, weights in training form).
   */
  public static Endpoints inference(Ops tf, BackboneConfig config, SiamFcWeights weights, BatchNorm mode) {
    if (mode == BatchNorm.TRAINING) {
      throw new IllegalArgumentException("an inference graph normalises by population statistics: use INFERENCE"
          + " or FOLDED");
    }
    Params params = constants(tf, weights);
    int h = featureSide(config, EXEMPLAR_SIZE);
    int c = config.embeddingChannels();
    Placeholder<TFloat32> exemplar = tf.withName("exemplar").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, EXEMPLAR_SIZE, EXEMPLAR_SIZE, 3)));
    Operand<TFloat32> templateEmbedding = tf.withName("template_embedding")
        .identity(backbone(tf, exemplar, config, params, mode, null));
    Placeholder<TFloat32> embedding = tf.withName("embedding").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, h, h, c)));
    Placeholder<TFloat32> instance = tf.withName("instance").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, INSTANCE_SIZE, INSTANCE_SIZE, 3)));
    Operand<TFloat32> search = backbone(tf, instance, config, params, mode, null);
    Operand<TFloat32> response = tf.withName("response").identity(
        crossCorrelation(tf, embedding, search, h, featureSide(config, INSTANCE_SIZE), c));
    return new Endpoints(exemplar, templateEmbedding, embedding, instance, response);
  }
}
