package io.argus.jobs.bench;

import io.argus.models.data.Sequence;
import io.argus.models.image.Box;
import io.argus.models.image.Crops;
import io.argus.models.image.RgbImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.CropAndResize;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Decode a JPEG frame and cut every target's 255 x 255 search crop, three ways, from the encoded
 * bytes to a float tensor ready for the model's {@code instance} input:
 * <ul>
 *   <li>java: ImageIO decode, mean colour and {@link Crops} in Java, then the copy into a tensor
 *       (what the job did before it switched decoders on this benchmark's figures);
 *   <li>tf-decode: TensorFlow's DecodeJpeg (libjpeg-turbo, accurate IDCT) in a small session,
 *       pixels copied back to Java, then the same Java crops and copy: what the job does
 *       ({@link RgbImage#decode});
 *   <li>in-graph: DecodeJpeg, the mean colour and CropAndResize all in one TensorFlow call; the
 *       crops stay in the output tensor (the model could take them without a copy).
 * </ul>
 * CropAndResize's boxes are placed so that it samples the same points as {@link Crops}
 * (output pixel k at the centre of its cell); the two differ by the JPEG decoders' rounding,
 * reported as the largest difference against the Java crops.
 */
public final class DecodeAndCrop {

  /** One way at one number of targets. */
  public record Result(String way, int targets, double decodeMs, double cropsMs, double msPerFrame, double maxDiffVsJava,
      String load) {}

  private DecodeAndCrop() {}

  public static List<Result> run(Path sequence, int frameIndex, List<Integer> targets, int warmup, int repetitions,
      PrintStream log) {
    Sequence seq = Sequence.open(sequence);
    byte[] jpeg;
    try {
      jpeg = Files.readAllBytes(seq.frames().get(frameIndex));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RgbImage first = imageIo(jpeg);
    log.printf("frame %s: %dx%d, %d JPEG bytes%n", seq.frames().get(frameIndex).getFileName(), first.width(),
        first.height(), jpeg.length);
    List<Result> results = new ArrayList<>();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TString> bytes = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TFloat32> boxes = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
      Placeholder<TInt32> boxIndex = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      DecodeJpeg decoded = tf.image.decodeJpeg(bytes, DecodeJpeg.channels(3L), DecodeJpeg.dctMethod("INTEGER_ACCURATE"));
      Operand<TFloat32> pixels = tf.dtypes.cast(decoded, TFloat32.class);
      Operand<TFloat32> mean = tf.math.mean(pixels, tf.constant(new int[] {0, 1}));
      Operand<TFloat32> centred = tf.expandDims(tf.math.sub(pixels, mean), tf.constant(0));
      // padding = mean colour: crop the mean-subtracted frame with extrapolation 0, add the mean back
      Operand<TFloat32> crops = tf.math.add(tf.image.cropAndResize(centred, boxes, boxIndex,
          tf.constant(new int[] {255, 255}), CropAndResize.extrapolationValue(0f)), mean);

      for (int n : targets) {
        List<Box> placed = TargetLayout.place(seq.truth(frameIndex), n, first.width(), first.height());
        double[][] regions = new double[n][];
        for (int i = 0; i < n; i++) {
          Box b = placed.get(i);
          regions[i] = new double[] {b.cx(), b.cy(), Crops.contextSide(b.width(), b.height(), 0.5) * 255 / 127};
        }
        float[] javaCrops = javaCrops(imageIo(jpeg), regions);
        float[] boxValues = new float[n * 4];
        for (int i = 0; i < n; i++) {
          double[] r = regions[i];
          double scale = r[2] / 255;
          double top = r[1] - r[2] / 2 + 0.5 * scale - 0.5;
          double left = r[0] - r[2] / 2 + 0.5 * scale - 0.5;
          double span = 254 * scale;
          boxValues[4 * i] = (float) (top / (first.height() - 1));
          boxValues[4 * i + 1] = (float) (left / (first.width() - 1));
          boxValues[4 * i + 2] = (float) ((top + span) / (first.height() - 1));
          boxValues[4 * i + 3] = (float) ((left + span) / (first.width() - 1));
        }
        try (TFloat32 boxT = TFloat32.tensorOf(Shape.of(n, 4), DataBuffers.of(boxValues, true, false));
            TInt32 indexT = TInt32.tensorOf(Shape.of(n), DataBuffers.of(new int[n], true, false))) {
          double tfDiff = maxDiff(javaCrops(tfDecode(s, bytes, decoded, jpeg), regions), javaCrops);
          double graphDiff;
          try (TString in = TString.tensorOfBytes(org.tensorflow.ndarray.NdArrays.scalarOfObject(jpeg));
              org.tensorflow.Result r = s.runner().feed(bytes, in).feed(boxes, boxT).feed(boxIndex, indexT).fetch(crops)
                  .run()) {
            TFloat32 out = (TFloat32) r.get(0);
            float[] v = new float[(int) out.size()];
            out.copyTo(DataBuffers.of(v, false, false));
            graphDiff = maxDiff(v, javaCrops);
          }
          // the four parts in turn, repetition after repetition, so the machine's load falls on all alike
          double[] javaDecode = new double[repetitions];
          double[] tfDecodeMs = new double[repetitions];
          double[] cropMs = new double[repetitions];
          double[] graphMs = new double[repetitions];
          for (int rep = -warmup; rep < repetitions; rep++) {
            long t0 = System.nanoTime();
            RgbImage img = imageIo(jpeg);
            long t1 = System.nanoTime();
            tfDecode(s, bytes, decoded, jpeg);
            long t2 = System.nanoTime();
            try (TFloat32 t = toTensor(javaCrops(img, regions), n)) {
              t.size();
            }
            long t3 = System.nanoTime();
            try (TString in = TString.tensorOfBytes(org.tensorflow.ndarray.NdArrays.scalarOfObject(jpeg));
                org.tensorflow.Result r = s.runner().feed(bytes, in).feed(boxes, boxT).feed(boxIndex, indexT)
                    .fetch(crops).run()) {
              r.get(0);
            }
            long t4 = System.nanoTime();
            if (rep >= 0) {
              javaDecode[rep] = (t1 - t0) / 1e6;
              tfDecodeMs[rep] = (t2 - t1) / 1e6;
              cropMs[rep] = (t3 - t2) / 1e6;
              graphMs[rep] = (t4 - t3) / 1e6;
            }
          }
          double jd = Stats.median(javaDecode);
          double td = Stats.median(tfDecodeMs);
          double cr = Stats.median(cropMs);
          String load = BenchMachine.loadAverage();
          results.add(new Result("java (ImageIO + Java crops; the job before)", n, jd, cr, jd + cr, 0, load));
          results.add(new Result("tf-decode (TF DecodeJpeg + Java crops; the job)", n, td, cr, td + cr, tfDiff, load));
          results.add(new Result("in-graph (DecodeJpeg + CropAndResize)", n, Double.NaN, Double.NaN,
              Stats.median(graphMs), graphDiff, load));
        }
        for (Result r : results.subList(results.size() - 3, results.size())) {
          log.printf("  %2d targets, %-40s %.1f ms/frame; load %s%n", n, r.way(), r.msPerFrame(), r.load());
        }
      }
    }
    return results;
  }

  static float[] javaCrops(RgbImage img, double[][] regions) {
    float[] pad = img.meanColour();
    float[] out = new float[regions.length * 255 * 255 * 3];
    for (int i = 0; i < regions.length; i++) {
      Crops.cropAndResize(img, regions[i][0], regions[i][1], regions[i][2], 255, pad, out, i * 255 * 255 * 3);
    }
    return out;
  }

  static TFloat32 toTensor(float[] crops, int n) {
    return TFloat32.tensorOf(Shape.of(n, 255, 255, 3), DataBuffers.of(crops, true, false));
  }

  static RgbImage tfDecode(Session s, Placeholder<TString> bytes, DecodeJpeg decoded, byte[] jpeg) {
    try (TString in = TString.tensorOfBytes(org.tensorflow.ndarray.NdArrays.scalarOfObject(jpeg));
        org.tensorflow.Result r = s.runner().feed(bytes, in).fetch(decoded).run()) {
      TUint8 px = (TUint8) r.get(0);
      long[] shape = px.shape().asArray();
      byte[] rgb = new byte[(int) px.size()];
      px.asRawTensor().data().read(rgb);
      return new RgbImage((int) shape[1], (int) shape[0], rgb);
    }
  }

  static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  public static BenchTable table(Path sequence, List<Result> results, int warmup, int repetitions) {
    BenchTable t = new BenchTable("Decode + search crops per frame (JPEG bytes to the model's input tensor), "
        + sequence.getFileName(), "way", "targets", "decode ms", "crops ms", "ms/frame", "max |diff| vs java", "load avg");
    for (Result r : results) {
      t.row(r.way(), r.targets(), r.decodeMs(), r.cropsMs(), r.msPerFrame(), r.maxDiffVsJava(), r.load());
    }
    t.note("medians of " + repetitions + " repetitions after " + warmup + " warm-up, the ways interleaved; crops ms = "
        + "mean colour + 255x255 NanoTrack search crops + the copy into the input tensor; targets = the ground-truth box "
        + "and shifted copies; differences: none from the decoders (both use the accurate integer IDCT) and, in-graph, "
        + "CropAndResize's treatment of samples within a pixel of the border (it pads them, Crops blends them)");
    return t;
  }

  /** ImageIO's decode, the reference the other ways are compared with. */
  private static RgbImage imageIo(byte[] jpeg) {
    try {
      return RgbImage.of(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
