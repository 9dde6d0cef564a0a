package io.argus.models.cfnet;

import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * CFNet's correlation-filter layer (Valmadre et al., "End-to-end representation learning for
 * Correlation Filter based tracking", CVPR 2017, eq. 4-5; {@code corr_filter.m} of the CFNet code,
 * the {@code CorrFilter} block without bias), as TensorFlow ops.
 *
 * <p>Given template features x (channels x_1..x_C, each m1 x m2, n = m1 m2) and the desired
 * response y (a Gaussian, m1 x m2), the layer solves the ridge regression, over all channels at once,
 * <pre>
 *   w = argmin_w  1/(2n) || sum_c w_c (*) x_c - y ||^2  +  lambda/2 || w ||^2
 * </pre>
 * where (f (*) g)(t) = sum_s f(s) g(s + t) is circular cross-correlation (the same sliding
 * product as the network's XCorr). Its dual solution is w_c = a (*) x_c with
 * <pre>
 *   k = 1/n sum_c x_c (*) x_c + lambda delta,     n (k conv a) = y
 * </pre>
 * which the Fourier transform diagonalises (^ = 2-D DFT, * = complex conjugate, . = elementwise):
 * <pre>
 *   k^ = 1/n sum_c conj(x^_c) . x^_c + lambda        (real, one per frequency)
 *   a^ = 1/n y^ / k^
 *   w^_c = conj(a^) . x^_c,        w_c = real(IDFT(w^_c))
 * </pre>
 * Computed once per template, so the learned filter is the embedding kept in state; CFNet's
 * tracker averages these filters online ({@code zLR}).
 *
 * <p>TensorFlow Java 1.1.0 has no Java class for complex tensors, but the graph does: the
 * spectra are built with raw op builders (RFFT2D / Complex / IRFFT2D with complex64) and never
 * leave the graph; every arithmetic step is done on their real and imaginary float parts. The
 * real-input FFT halves the work and its inverse returns the real part directly (w is real).
 */
public final class CorrelationFilter {

  private CorrelationFilter() {}

  /**
   * The learned filter for a batch of templates.
   *
   * @param x template features B x m1 x m2 x C (NHWC), already multiplied by the cosine window
   * @param target desired response y, m1 x m2, row-major (CFNet: a Gaussian peaked at (0, 0))
   * @param lambda regularisation (CFNet: 10)
   * @return w, B x m1 x m2 x C
   */
  public static Operand<TFloat32> solve(Ops tf, Operand<TFloat32> x, int m1, int m2, float[] target, double lambda) {
    if (target.length != m1 * m2) {
      throw new IllegalArgumentException("CorrFilter target has " + target.length + " values, the features are "
          + m1 + " x " + m2);
    }
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("CorrFilter lambda must be positive, got " + lambda);
    }
    float n = m1 * m2;
    Operand<org.tensorflow.types.TInt32> fftLength = tf.constant(new int[] {m1, m2});
    // FFT over the two innermost axes: NHWC -> NCHW
    Operand<TFloat32> xt = tf.linalg.transpose(x, tf.constant(new int[] {0, 3, 1, 2}));
    Output<TType> xHat = rfft2d(tf, xt, fftLength);
    Operand<TFloat32> xr = tf.math.real(xHat);
    Operand<TFloat32> xi = tf.math.imag(xHat);

    Operand<TFloat32> y = tf.constant(Shape.of(m1, m2), DataBuffers.of(target, true, false));
    Output<TType> yHat = rfft2d(tf, y, fftLength);
    Operand<TFloat32> yr = tf.math.real(yHat);
    Operand<TFloat32> yi = tf.math.imag(yHat);

    // k^ = 1/n sum_c |x^_c|^2 + lambda : B x 1 x m1 x (m2/2+1)
    Operand<TFloat32> power = tf.math.add(tf.math.mul(xr, xr), tf.math.mul(xi, xi));
    Operand<TFloat32> k = tf.math.add(
        tf.math.mul(tf.reduceSum(power, tf.constant(1), org.tensorflow.op.core.ReduceSum.keepDims(true)),
            tf.constant(1f / n)),
        tf.constant((float) lambda));
    // a^ = y^ / (n k^)
    Operand<TFloat32> nk = tf.math.mul(k, tf.constant(n));
    Operand<TFloat32> ar = tf.math.div(yr, nk);
    Operand<TFloat32> ai = tf.math.div(yi, nk);
    // w^ = conj(a^) x^ = (ar xr + ai xi) + i (ar xi - ai xr)
    Operand<TFloat32> wr = tf.math.add(tf.math.mul(ar, xr), tf.math.mul(ai, xi));
    Operand<TFloat32> wi = tf.math.sub(tf.math.mul(ar, xi), tf.math.mul(ai, xr));
    Output<TFloat32> w = irfft2d(tf, complex(tf, wr, wi), fftLength);
    return tf.linalg.transpose(w, tf.constant(new int[] {0, 2, 3, 1}));
  }

  private static Output<TType> rfft2d(Ops tf, Operand<TFloat32> input, Operand<org.tensorflow.types.TInt32> length) {
    return tf.scope().opBuilder("RFFT2D", "RFFT2D")
        .addInput(input.asOutput())
        .addInput(length.asOutput())
        .setAttr("Treal", DataType.DT_FLOAT)
        .setAttr("Tcomplex", DataType.DT_COMPLEX64)
        .build()
        .output(0);
  }

  private static Output<TType> complex(Ops tf, Operand<TFloat32> re, Operand<TFloat32> im) {
    return tf.scope().opBuilder("Complex", "Complex")
        .addInput(re.asOutput())
        .addInput(im.asOutput())
        .setAttr("T", DataType.DT_FLOAT)
        .setAttr("Tout", DataType.DT_COMPLEX64)
        .build()
        .output(0);
  }

  private static Output<TFloat32> irfft2d(Ops tf, Output<TType> spectrum, Operand<org.tensorflow.types.TInt32> length) {
    return tf.scope().opBuilder("IRFFT2D", "IRFFT2D")
        .addInput(spectrum)
        .addInput(length.asOutput())
        .setAttr("Treal", DataType.DT_FLOAT)
        .setAttr("Tcomplex", DataType.DT_COMPLEX64)
        .build()
        .output(0);
  }
}
